/**
 * The cache's Lua scripts, SHAs precomputed (`defineScript`); `test/cache/scripts.test.ts`
 * checks each SHA against a real server.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

/**
 * Takes the stampede lock (`SET NX PX`), or reports how long the current holder's lock has left,
 * so a waiter can retry the moment a dead holder's lock expires instead of on its next poll.
 * Returns `{1}` when acquired, `{0, pttl}` when held.
 */
export const LOCK_ACQUIRE = defineScript(
  'cache-lock-acquire',
  `if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {1}
end
return {0, redis.call('PTTL', KEYS[1])}`,
)

/** Extends the lock only while it still carries our token. */
export const LOCK_EXTEND = defineScript(
  'cache-lock-extend',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
)

/** Deletes the lock only while it still carries our token. */
export const LOCK_RELEASE = defineScript(
  'cache-lock-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
)

/**
 * INCRBY that gives a key without a TTL one (every key satchel writes expires).
 * A key holding something other than an integer answers an error reply: `incr` → undefined.
 */
export const INCR_WITH_TTL = defineScript(
  'cache-incr',
  `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`,
)

/** Replaces a value only if it is still the bytes we read (so `expire` never loses a write). */
export const COMPARE_AND_SET = defineScript(
  'cache-cas',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`,
)

/** Every cache script, for the SHA test. */
export const CACHE_SCRIPTS = [
  LOCK_ACQUIRE,
  LOCK_EXTEND,
  LOCK_RELEASE,
  INCR_WITH_TTL,
  COMPARE_AND_SET,
] as const
