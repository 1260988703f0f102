import { LockContendedError } from '../core/errors.js'
import type { ResolvedRetry } from './options.js'

/**
 * Tries `attempt` until it yields a fence, the policy runs out (`E_LOCK_CONTENDED`) or `signal`
 * aborts (rejects with `signal.reason`). Any error from `attempt`, such as
 * `E_REDIS_UNAVAILABLE`, ends the loop at once: an outage is not contention, and waiting out
 * a down Redis would hold the caller far longer than the `commandMs` bound promises.
 *
 * @param abandon - called when an attempt in flight at abort time took the lock after all, so
 *   the caller can release it.
 * @param tried - attempts the caller already made (and found the lock held): the loop waits
 *   before its first try.
 */
export async function acquireWithRetry(
  resource: string,
  attempt: () => Promise<number>,
  policy: ResolvedRetry,
  signal: AbortSignal | undefined,
  abandon: () => void,
  tried = 0,
): Promise<{ fence: number; attempts: number }> {
  signal?.throwIfAborted()
  for (let n = tried; ; ) {
    if (n >= policy.attempts) throw new LockContendedError(resource, n)
    if (n > 0) await sleep(policy.delayMs + Math.random() * policy.jitterMs, signal)
    // An abort that landed between the last attempt settling and this point reached no listener.
    signal?.throwIfAborted()
    n++
    const fence = signal ? await unlessAborted(attempt(), signal, abandon) : await attempt()
    if (fence > 0) return { fence, attempts: n }
  }
}

/** Settles with `attempt`, or rejects with the abort reason as soon as `signal` aborts. */
function unlessAborted(
  attempt: Promise<number>,
  signal: AbortSignal,
  abandon: () => void,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let aborted = false
    const onAbort = (): void => {
      aborted = true
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    attempt.then(
      (fence) => {
        signal.removeEventListener('abort', onAbort)
        if (!aborted) resolve(fence)
        else if (fence > 0) abandon()
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        if (!aborted) reject(error)
      },
    )
  })
}

/**
 * Waits `ms`, or rejects with the abort reason the moment `signal` aborts; the timer is always
 * cleared. Hand-written because `timers/promises` rejects with its own AbortError rather than
 * `signal.reason`. The timer stays ref'd: a script awaiting a lock (with nothing else pending,
 * as in memory-only mode) must not exit in the middle of the wait.
 */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
