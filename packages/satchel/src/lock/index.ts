/**
 * Distributed locks with fencing tokens (`satchel.locks`).
 *
 * Keys: `<prefix>:lock:{<escaped resource>}` holds the owner's token with the lock's TTL, and
 * `<prefix>:lock:{<escaped resource>}:fence` the last fence issued; the shared hash tag keeps
 * both on one Cluster slot. Each operation is one Lua script (one round trip): acquire =
 * `SET NX PX` + fence, release = compare-and-delete, extend = compare-and-pexpire.
 *
 * @example
 * ```ts
 * const satchel = createSatchel({ redis: process.env.REDIS_URL, locks: { ttl: '10s' } })
 * await satchel.locks.using('course:9:publish', async (signal, lock) => {
 *   signal.throwIfAborted()
 *   await publishCourse(9, { fence: lock.fence })
 * })
 * ```
 *
 * @module
 */
export type { LockMode } from './backend.js'
export { type LockTarget, lockTarget } from './keys.js'
export type { Lock } from './lock.js'
export { createLocks, type LockStats, type Locks } from './locks.js'
export type {
  AcquireOptions,
  LocksOptions,
  RetryOptions,
  UsingOptions,
} from './options.js'
