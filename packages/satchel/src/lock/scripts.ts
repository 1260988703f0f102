/**
 * The three lock scripts. Each is one round trip; the lock key and the fence key share a hash
 * tag, so the acquire script is valid on Redis Cluster.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

/**
 * Takes the lock if free and issues its fence.
 *
 * KEYS: lock, fence. ARGV: token, ttl ms, fence-key ttl ms.
 * Returns the fence (> 0) on success, 0 when another owner holds the lock.
 *
 * The fence is `max(last + 1, server clock in µs)` rather than a bare INCR: a bare counter starts
 * again at 1 whenever its key is lost (expired after a long idle spell, evicted, or Redis restarted
 * without persistence), and a database that keeps "the highest fence seen" would then refuse every
 * later write. Seeding from the clock keeps fences increasing across such a loss and keeps them on
 * the same scale as the in-process fallback's fences (see `local-backend.ts`). The stored value
 * still wins while it exists, so a clock stepping back cannot make a fence go backwards.
 * `%.0f` because Lua 5.1 numbers are doubles (exact up to 2^53, about the year 2255 in µs).
 * `replicate_commands` lets Redis 5/6 replicate the writes after TIME; Redis 7 does so always.
 */
export const ACQUIRE = defineScript(
  'lock.acquire',
  `redis.replicate_commands()
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local now = redis.call('TIME')
local fence = (tonumber(redis.call('GET', KEYS[2])) or 0) + 1
local clock = tonumber(now[1]) * 1000000 + tonumber(now[2])
if clock > fence then fence = clock end
redis.call('SET', KEYS[2], string.format('%.0f', fence), 'PX', ARGV[3])
return fence`,
)

/**
 * Deletes the lock only if it still holds `token` (compare-and-delete).
 * KEYS: lock. ARGV: token. Returns 1 when deleted, 0 otherwise.
 */
export const RELEASE = defineScript(
  'lock.release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
)

/**
 * Sets a new TTL only if the lock still holds `token` (compare-and-pexpire). An expired lock
 * has no value, so it is never re-created.
 * KEYS: lock. ARGV: token, ttl ms. Returns 1 when extended, 0 otherwise.
 */
export const EXTEND = defineScript(
  'lock.extend',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
)

/** Every lock script, for the SHA check against a real server. */
export const LOCK_SCRIPTS = [ACQUIRE, RELEASE, EXTEND] as const
