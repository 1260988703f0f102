/**
 * The cache's Lua scripts, SHAs precomputed (`defineScript`); `test/cache/scripts.test.ts`
 * checks each SHA against a real server. The stampede lock's release and extend are the lock
 * module's scripts (`lock/scripts.ts`); only its acquisition, which also reads, lives here.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

/**
 * Reads keys and, for each one that is absent, takes the stampede lock by writing the caller's
 * loading marker into the key itself (`SET PX`): the read and the lock are one round trip, and
 * since the marker lives in the entry's own key a `DEL`, a `SET` or a pattern delete of the key
 * removes it, so a load that began before them can no longer store (see `stampede-lock.ts`).
 *
 * KEYS: entry keys (one slot). ARGV[1]: lock TTL ms; ARGV[1 + i]: the marker for KEYS[i].
 * Per key: `{1, value, pttl}` when the key holds something (a value or another loader's
 * marker), `{0, server ms}` when the lock was taken, `{2}` when the key holds another type.
 * The server clock dates the load, so tag stamps and entries compare on one clock.
 */
export const READ_OR_LOCK = defineScript(
  'cache-read-or-lock',
  `redis.replicate_commands()
local out = {}
local now
for i, key in ipairs(KEYS) do
  local ok, v = pcall(redis.call, 'GET', key)
  if not ok then
    out[i] = {2}
  elseif v then
    out[i] = {1, v, redis.call('PTTL', key)}
  else
    if not now then
      local t = redis.call('TIME')
      now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
    out[i] = {0, now}
  end
end
return out`,
)

/**
 * Records tag invalidations: each stamp becomes `max(previous + 1, server ms)`, so stamps only
 * move forward whatever order invalidations arrive in and whatever the callers' clocks say.
 * KEYS: the tag hash. ARGV: tags. Returns the new stamps, in order.
 */
export const INVALIDATE_TAGS = defineScript(
  'cache-invalidate-tags',
  `redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, tag in ipairs(ARGV) do
  local stamp = now
  local current = tonumber(redis.call('HGET', KEYS[1], tag))
  if current and current >= stamp then stamp = current + 1 end
  redis.call('HSET', KEYS[1], tag, string.format('%.0f', stamp))
  out[i] = stamp
end
return out`,
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

/**
 * Replaces values only where each key still holds the bytes we expect: `expire` never loses a
 * write, and a load stores only while its lock marker (or the entry it refreshes) is still there.
 * Writes issued in one turn share one call (single node).
 * KEYS: keys (one slot). ARGV: per key, expected bytes, new bytes, PX ms.
 * Returns per key 1 when replaced, else 0 (also for a key holding another type).
 */
export const COMPARE_AND_SET = defineScript(
  'cache-cas',
  `local out = {}
for i, key in ipairs(KEYS) do
  local j = (i - 1) * 3
  local ok, v = pcall(redis.call, 'GET', key)
  if ok and v == ARGV[j + 1] then
    redis.call('SET', key, ARGV[j + 2], 'PX', ARGV[j + 3])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`,
)

/** Every cache script, for the SHA test. */
export const CACHE_SCRIPTS = [
  READ_OR_LOCK,
  INVALIDATE_TAGS,
  INCR_WITH_TTL,
  COMPARE_AND_SET,
] as const
