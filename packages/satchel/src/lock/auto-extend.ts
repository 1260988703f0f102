import { LockLostError, RedisUnavailableError } from '../core/errors.js'
import type { LockHandle } from './lock.js'

/** Stops watching a lock; resolves once any extension in flight has settled. */
export interface LockKeeper {
  stop(): Promise<void>
}

/**
 * Watches a lock while `using` runs its function.
 *
 * With `autoExtend`, the lock is extended when a third of its TTL has passed (two thirds still
 * left, so a slow or failed extension has two more chances). An extension answered "not yours"
 * means the lock was lost; one that fails because Redis is unavailable is retried every tenth of
 * the TTL until the lock's own expiry, and only then is the lock declared lost: a brief outage
 * does not abort work whose lock is still valid. Without `autoExtend`, the lock is declared lost
 * at its expiry. `onLost` runs at most once, never after `stop()`.
 *
 * The timers are unref'd (they only matter while `fn` runs, which keeps the process alive by
 * itself) and cleared on every path.
 */
export function keepLock(
  lock: LockHandle,
  autoExtend: boolean,
  onLost: (error: LockLostError) => void,
): LockKeeper {
  const ttlMs = lock.ttlMs
  const retryMs = Math.max(1, Math.floor(ttlMs / 10))
  let timer: NodeJS.Timeout | undefined
  let inflight: Promise<void> | undefined
  let stopped = false
  let lastError: unknown

  const schedule = (ms: number): void => {
    timer = setTimeout(tick, Math.max(0, ms))
    timer.unref()
  }

  const lost = (cause: unknown): void => {
    stopped = true
    onLost(new LockLostError(lock.resource, cause === undefined ? undefined : { cause }))
  }

  const extended = (ok: boolean): void => {
    if (stopped) return
    if (!ok) {
      lost(lastError)
      return
    }
    lastError = undefined
    schedule(lock.expiresAt - Date.now() - (2 * ttlMs) / 3)
  }

  const failed = (error: unknown): void => {
    if (stopped) return
    if (!(error instanceof RedisUnavailableError)) {
      lost(error)
      return
    }
    lastError = error
    schedule(Math.min(retryMs, lock.expiresAt - Date.now()))
  }

  function tick(): void {
    timer = undefined
    if (stopped) return
    const left = lock.expiresAt - Date.now()
    if (left <= 0) {
      lost(lastError)
      return
    }
    // Without auto-extension the watchdog only waits for the expiry (which a manual
    // `lock.extend()` inside `fn` may have pushed back).
    if (!autoExtend) {
      schedule(left)
      return
    }
    inflight = lock.extend().then(extended, failed)
  }

  schedule(autoExtend ? lock.expiresAt - Date.now() - (2 * ttlMs) / 3 : lock.expiresAt - Date.now())

  return {
    async stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      // An extension in flight settles within commandMs; waiting keeps the release after it.
      if (inflight) await inflight
    },
  }
}
