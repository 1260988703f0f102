import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'

/*
 * Every redis-server this process started and every temp dir it created, so that none outlives
 * the test run: a test that fails before its `afterAll`, an uncaught error, `process.exit()` or
 * Ctrl-C must not leave servers holding ports for the next run.
 *
 * A hard kill of the Node process itself (SIGKILL, OOM killer) cannot be handled from inside it;
 * those servers stay behind until killed by hand.
 */

const children = new Set<ChildProcess>()
const dirs = new Set<string>()

const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
type TerminatingSignal = (typeof TERMINATING_SIGNALS)[number]

const signalHandlers = new Map<TerminatingSignal, () => void>()
let installed = false

/** Kills `child` when this process exits, unless it has exited by then. */
export function trackChild(child: ChildProcess): void {
  install()
  children.add(child)
  child.once('exit', () => children.delete(child))
}

/** Removes `dir` (recursively) when this process exits, unless {@link untrackDir} ran first. */
export function trackDir(dir: string): void {
  install()
  dirs.add(dir)
}

/** Stops tracking `dir`, typically because it has just been removed. */
export function untrackDir(dir: string): void {
  dirs.delete(dir)
}

// Installed on first use rather than at import, so importing `satchel/testing` never changes how
// a process reacts to signals.
function install(): void {
  if (installed) return
  installed = true
  // 'exit' listeners must be synchronous: nothing scheduled from here would ever run.
  process.on('exit', cleanUp)
  for (const signal of TERMINATING_SIGNALS) {
    const handler = (): void => onSignal(signal)
    signalHandlers.set(signal, handler)
    process.on(signal, handler)
  }
}

function cleanUp(): void {
  for (const child of children) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue
    try {
      // SIGKILL rather than SIGTERM: it is synchronous from our side, and it also ends a server
      // that a test paused with SIGSTOP, which would otherwise hold a pending SIGTERM forever.
      process.kill(child.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  children.clear()
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
    } catch {
      // Best effort: a temp dir left behind is harmless, a throw from an exit handler is not.
    }
  }
  dirs.clear()
}

function onSignal(signal: TerminatingSignal): void {
  cleanUp()
  // Listening for a signal cancels Node's default of terminating on it. When ours is the only
  // listener, restore the default and re-raise, so the process still dies of the signal and its
  // parent sees that. When others listen (a test runner shutting down gracefully), they decide.
  const handler = signalHandlers.get(signal)
  if (handler && process.listenerCount(signal) === 1) {
    process.removeListener(signal, handler)
    process.kill(process.pid, signal)
  }
}
