import type { LockBackend } from './backend.js'
import type { LockTarget } from './keys.js'

interface Held {
  token: string
  expiresAt: number
}

// Expired entries are dropped when their resource is touched again; a sweep past this size
// bounds the map when callers never release.
const SWEEP_AT = 10_000

/**
 * The in-process fallback used when locking is switched off or satchel is memory-only (see
 * `LocksOptions.whenDisabled`). Same semantics as Redis within one process: TTLs, token-checked
 * release and extend, strictly increasing fences.
 *
 * Fences come from one process-wide sequence, `max(last + 1, Date.now() in µs)`: strictly
 * increasing per resource (they increase across all resources), and on the same scale as the
 * Redis fences (server clock in µs), so a database that keeps the highest fence seen keeps
 * accepting writes when the `locking` flag is turned off or on again.
 */
export class LocalLockBackend implements LockBackend {
  readonly mode = 'local' as const
  readonly #held = new Map<string, Held>()
  #lastFence = 0

  async tryAcquire(target: LockTarget, token: string, ttlMs: number): Promise<number> {
    const now = Date.now()
    const current = this.#held.get(target.key)
    if (current && current.expiresAt > now) return 0
    if (!current && this.#held.size >= SWEEP_AT) this.#sweep(now)
    this.#held.set(target.key, { token, expiresAt: now + ttlMs })
    this.#lastFence = Math.max(this.#lastFence + 1, now * 1000)
    return this.#lastFence
  }

  async release(target: LockTarget, token: string): Promise<boolean> {
    const current = this.#held.get(target.key)
    if (!current || current.token !== token) return false
    this.#held.delete(target.key)
    // An expired lock is gone in Redis too: releasing it is not a success.
    return current.expiresAt > Date.now()
  }

  async extend(target: LockTarget, token: string, ttlMs: number): Promise<boolean> {
    const current = this.#held.get(target.key)
    const now = Date.now()
    if (!current || current.token !== token || current.expiresAt <= now) return false
    current.expiresAt = now + ttlMs
    return true
  }

  #sweep(now: number): void {
    for (const [key, held] of this.#held) if (held.expiresAt <= now) this.#held.delete(key)
  }
}
