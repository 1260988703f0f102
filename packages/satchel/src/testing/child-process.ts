import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** `true` once Node has seen `child` exit (by code or by signal). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/**
 * Resolves when `child` has exited, or with `false` after `timeoutMs`.
 *
 * Test servers are unref'd so they never keep a test process alive; while someone awaits their
 * exit, though, the process must stay alive, or `await server.stop()` as the last line of a script
 * would let Node exit before the server did.
 */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    child.ref()
    const timer = setTimeout(() => finish(false), timeoutMs)
    const onExit = (): void => finish(true)
    function finish(exited: boolean): void {
      clearTimeout(timer)
      child.off('exit', onExit)
      child.unref()
      resolve(exited)
    }
    child.once('exit', onExit)
  })
}

/**
 * Waits until the kernel reports `pid` as stopped (SIGSTOP) or no longer stopped (SIGCONT).
 *
 * `kill()` only queues a signal; a test that sends SIGSTOP and immediately expects a command to
 * time out would otherwise race the scheduler. Reads `/proc`, so on systems without it (macOS)
 * this returns at once and the signal is trusted to land first.
 */
export async function waitForStopState(
  pid: number,
  stopped: boolean,
  timeoutMs = 1000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const state = await readProcessState(pid)
    if (state === undefined) return
    if ((state === 'T') === stopped) return
    await sleep(5)
  }
}

// The state letter follows the parenthesised command name, which may itself contain ") ".
async function readProcessState(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  } catch {
    return undefined
  }
}
