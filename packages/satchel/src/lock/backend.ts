import type { LockTarget } from './keys.js'

/**
 * Where locks live: Redis (shared by every process) or this process (the configured bypass).
 * @example if (satchel.locks.mode === 'local') log.warn('locks are per process only')
 */
export type LockMode = 'redis' | 'local'

/**
 * The three atomic operations a lock needs. The retry loop, the lock handle and `using` are
 * shared; only these differ between Redis and the in-process fallback.
 */
export interface LockBackend {
  readonly mode: LockMode
  /** Takes the lock for `ttlMs` if free. Resolves to the fence (> 0), or 0 when held. */
  tryAcquire(target: LockTarget, token: string, ttlMs: number): Promise<number>
  /** Deletes the lock if `token` still holds it. */
  release(target: LockTarget, token: string): Promise<boolean>
  /** Sets the lock's TTL to `ttlMs` if `token` still holds it; never re-creates it. */
  extend(target: LockTarget, token: string, ttlMs: number): Promise<boolean>
}
