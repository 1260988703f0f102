/**
 * The counter's Lua scripts. Each touches one key (a hash per counter id), so they run unchanged
 * on Redis Cluster. Fields of the hash:
 *
 * - `n`: the cached count; absent means unknown (the next `get` recounts).
 * - `g`: the generation of the latest recount started; a recount whose generation is no longer
 *   current may not store its result (a newer one is counting).
 * - `t`: server time (ms) until which an increment may race the latest recount: while counting
 *   (`lease`) and for `settle` after the result was stored.
 * - `u`: set when an increment landed before `t`: the stored count may or may not include that
 *   increment's row, so the value is re-verified by the first `get` after `t`.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`

/**
 * Adjusts a cached count. A missing key or value is left alone: creating one from an increment
 * would store a partial count. KEYS: counter. ARGV: delta.
 * Returns `[1, value]` when applied, `[0]` when nothing was cached.
 */
export const ADJUST = defineScript(
  'counter.adjust',
  `if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${NOW}
local t = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
if now < t then redis.call('HSET', KEYS[1], 'u', '1') end
if redis.call('HEXISTS', KEYS[1], 'n') == 0 then return {0} end
return {1, redis.call('HINCRBY', KEYS[1], 'n', ARGV[1])}`,
)

/**
 * Reads a cached count. KEYS: counter.
 * Returns `[1, value]` for a usable value, `[0]` when the value is missing or must be
 * re-verified (an increment raced the last recount and its settle time has passed).
 */
export const READ = defineScript(
  'counter.read',
  `local v = redis.call('HMGET', KEYS[1], 'n', 'u', 't')
if not v[1] then return {0} end
if v[2] then
${NOW}
  if now >= tonumber(v[3] or '0') then return {0} end
end
return {1, tonumber(v[1])}`,
)

/**
 * Starts a recount: a new generation, `t` = now + lease, `u` cleared (increments from here on
 * mark it again). KEYS: counter. ARGV: lease ms, key ttl ms.
 * Returns `[generation, cached value or false]`.
 */
export const BEGIN_RECOUNT = defineScript(
  'counter.recount-begin',
  `${NOW}
local g = redis.call('HINCRBY', KEYS[1], 'g', 1)
redis.call('HDEL', KEYS[1], 'u')
redis.call('HSET', KEYS[1], 't', now + tonumber(ARGV[1]))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[1]), tonumber(ARGV[2])))
end
return {g, redis.call('HGET', KEYS[1], 'n')}`,
)

/**
 * Stores a recount's result if its generation is still current; sets `t` = now + settle and the
 * key's TTL. A recount that outlived its lease is marked uncertain: increments after the lease
 * did not mark it. KEYS: counter. ARGV: generation, count, settle ms, key ttl ms.
 * Returns `[stored (0|1), raced (0|1)]`.
 */
export const END_RECOUNT = defineScript(
  'counter.recount-end',
  `if redis.call('HGET', KEYS[1], 'g') ~= ARGV[1] then return {0, 1} end
${NOW}
if now >= tonumber(redis.call('HGET', KEYS[1], 't') or '0') then redis.call('HSET', KEYS[1], 'u', '1') end
redis.call('HSET', KEYS[1], 'n', ARGV[2], 't', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local raced = 0
if redis.call('HEXISTS', KEYS[1], 'u') == 1 then raced = 1 end
return {1, raced}`,
)

/** Forgets a cached value (the next `get` recounts). KEYS: counter. */
export const FORGET = defineScript('counter.forget', `return redis.call('HDEL', KEYS[1], 'n')`)

/**
 * Every counter script, for the SHA check against a real server.
 * @example for (const s of COUNTER_SCRIPTS) expect(await redis.script('LOAD', s.lua)).toBe(s.sha)
 */
export const COUNTER_SCRIPTS = [ADJUST, READ, BEGIN_RECOUNT, END_RECOUNT, FORGET] as const
