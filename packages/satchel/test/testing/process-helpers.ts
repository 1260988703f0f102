import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * `true` when `pid` no longer runs. A process that has exited but not been reaped yet (a zombie)
 * counts as gone: once orphaned it is reaped by init, and some container inits never do it.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return true
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z'
  } catch {
    return true
  }
}

/** Polls {@link isGone} until it holds or `timeoutMs` passes; resolves to the last answer. */
export async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!isGone(pid)) {
    if (Date.now() > deadline) return false
    await sleep(20)
  }
  return true
}
