import type { Duration } from '../core/duration.js'
import type { LockBackend, LockMode } from './backend.js'
import type { LockTarget } from './keys.js'
import { resolveTtl } from './options.js'

/**
 * A held lock. Pass `fence` along with every write the lock protects, and have the storage
 * refuse a write whose fence is lower than the highest it has seen: that is what keeps a holder
 * that paused past its TTL (GC, a slow disk) from overwriting its successor's work.
 *
 * @example
 * ```ts
 * const lock = await satchel.locks.acquire(`login-link:${id}`, { ttl: '5s' })
 * try {
 *   await db.update(requests).set({ status: 'approved', fence: lock.fence })
 *     .where(and(eq(requests.id, id), eq(requests.status, 'pending'), lt(requests.fence, lock.fence)))
 * } finally {
 *   await lock.release()
 * }
 * ```
 */
export interface Lock {
  /** The resource name passed to `acquire`. */
  readonly resource: string
  /** Random owner token; release and extend succeed only while the lock still holds it. */
  readonly token: string
  /**
   * Fencing token: strictly increases per resource with every acquisition, across expiry and
   * takeover. A safe JavaScript integer (about the server clock in µs).
   */
  readonly fence: number
  /**
   * When the lock expires (epoch ms) unless extended: measured from when the request was sent,
   * so it is never later than Redis's own expiry.
   */
  readonly expiresAt: number
  /** `'redis'`, or `'local'` for the in-process fallback (locking off, or memory-only). */
  readonly mode: LockMode
  /**
   * Deletes the lock if this owner still holds it. Resolves false when it had already expired
   * or been taken over (the other owner's lock is left alone). Rejects with
   * `E_REDIS_UNAVAILABLE` when Redis is down; the lock then lapses at `expiresAt`.
   */
  release(): Promise<boolean>
  /**
   * Resets the TTL to `ttl` (default: the acquire TTL) from now if this owner still holds it.
   * Resolves false when the lock has expired or been taken over; an expired lock is never
   * re-created. Rejects with `E_REDIS_UNAVAILABLE` when Redis is down.
   */
  extend(ttl?: Duration): Promise<boolean>
}

/** The lock handle `acquire` returns. Internal: users see {@link Lock}. */
export class LockHandle implements Lock {
  readonly resource: string
  readonly token: string
  readonly fence: number
  /** The TTL the lock was acquired with: the default for `extend` and auto-extension. */
  readonly ttlMs: number
  readonly #backend: LockBackend
  readonly #target: LockTarget
  #expiresAt: number
  /** Released, or known lost: later calls answer false without a round trip. */
  #finished = false

  constructor(
    backend: LockBackend,
    target: LockTarget,
    token: string,
    fence: number,
    ttlMs: number,
    sentAt: number,
  ) {
    this.#backend = backend
    this.#target = target
    this.resource = target.resource
    this.token = token
    this.fence = fence
    this.ttlMs = ttlMs
    this.#expiresAt = sentAt + ttlMs
  }

  get expiresAt(): number {
    return this.#expiresAt
  }

  get mode(): LockMode {
    return this.#backend.mode
  }

  async release(): Promise<boolean> {
    if (this.#finished) return false
    const released = await this.#backend.release(this.#target, this.token)
    this.#finished = true
    return released
  }

  async extend(ttl?: Duration): Promise<boolean> {
    if (this.#finished) return false
    const ttlMs = ttl === undefined ? this.ttlMs : resolveTtl(ttl, 'ttl')
    const sentAt = Date.now()
    const extended = await this.#backend.extend(this.#target, this.token, ttlMs)
    if (extended) this.#expiresAt = sentAt + ttlMs
    else this.#finished = true
    return extended
  }

  /** Keeps the token out of logs: it is the capability to release someone's lock. */
  toJSON(): object {
    return {
      resource: this.resource,
      fence: this.fence,
      expiresAt: this.#expiresAt,
      mode: this.mode,
    }
  }
}
