/**
 * The record lifecycle as Lua scripts, so each step is one atomic round trip.
 *
 * A record is one hash:
 * - pending: `state=pending`, `token` (owner), `fp` (fingerprint), `lease` (until, server ms);
 *   the key expires after two leases, so a crashed owner's record goes away on its own.
 * - done: `state=done`, `fp`, `status`, `headers` (JSON pairs), `body` (bytes); key TTL = `ttl`.
 *   A response that could not be kept whole (`too-large`, `incomplete`) is done with an
 *   `unreplayable` reason and no body: the operation ran, but there is nothing to replay.
 *
 * Time comes from the server (`TIME`), so processes with skewed clocks agree on when a lease
 * has expired. Every script touches one key, so it runs on Cluster without a hash tag.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

/**
 * KEYS[1] record; ARGV token, fingerprint, leaseMs, pendingTtlMs.
 * Returns `{'new'}`, `{'mismatch'}`, `{'in-flight', msLeft}`, `{'taken-over', oldToken}` or
 * `{'done', status, headers, body, unreplayable}` (the last nil for a replayable record).
 *
 * The takeover of an expired lease is a compare-and-set inside this one script: the old token
 * is read and replaced, and the new lease written, atomically; the next caller sees the new,
 * unexpired lease and gets `in-flight`, so exactly one retry takes over.
 */
export const BEGIN = defineScript(
  'idempotency.begin',
  `local key = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', key, 'state')
if not state then
  redis.call('HSET', key, 'state', 'pending', 'token', ARGV[1], 'fp', ARGV[2],
    'lease', now + tonumber(ARGV[3]))
  redis.call('PEXPIRE', key, ARGV[4])
  return {'new'}
end
if redis.call('HGET', key, 'fp') ~= ARGV[2] then return {'mismatch'} end
if state == 'done' then
  local r = redis.call('HMGET', key, 'status', 'headers', 'body', 'unreplayable')
  return {'done', r[1], r[2], r[3], r[4]}
end
local lease = tonumber(redis.call('HGET', key, 'lease'))
if lease > now then return {'in-flight', lease - now} end
local old = redis.call('HGET', key, 'token')
redis.call('HSET', key, 'token', ARGV[1], 'lease', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', key, ARGV[4])
return {'taken-over', old}`,
)

/**
 * KEYS[1] record; ARGV token, ttlMs, status, headers, body, unreplayable (`''`, or why the body
 * is not kept). Stores the response only while the caller still owns the pending record.
 * Returns 1 when stored, 0 when the lease was lost.
 */
export const COMPLETE = defineScript(
  'idempotency.complete',
  `local key = KEYS[1]
local r = redis.call('HMGET', key, 'state', 'token')
if r[1] ~= 'pending' or r[2] ~= ARGV[1] then return 0 end
redis.call('HSET', key, 'state', 'done', 'status', ARGV[3], 'headers', ARGV[4], 'body', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', key, 'unreplayable', ARGV[6]) end
redis.call('HDEL', key, 'token', 'lease')
redis.call('PEXPIRE', key, ARGV[2])
return 1`,
)

/**
 * KEYS[1] record; ARGV token. Deletes the pending record if the caller still owns it, so a
 * retry runs the handler. Returns 1 when deleted, 0 when the lease was lost.
 */
export const RELEASE = defineScript(
  'idempotency.release',
  `local r = redis.call('HMGET', KEYS[1], 'state', 'token')
if r[1] ~= 'pending' or r[2] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`,
)

/**
 * KEYS[1] record; ARGV token, leaseMs, pendingTtlMs. Renews the caller's lease (a heartbeat
 * for handlers that run longer than one lease). Returns 1 when renewed, 0 when the lease was lost.
 */
export const EXTEND = defineScript(
  'idempotency.extend',
  `local key = KEYS[1]
local r = redis.call('HMGET', key, 'state', 'token')
if r[1] ~= 'pending' or r[2] ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', key, 'lease', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', key, ARGV[3])
return 1`,
)

/**
 * Every script of this module, for the SHA test.
 * @example for (const s of IDEMPOTENCY_SCRIPTS) assert((await redis.script('LOAD', s.lua)) === s.sha)
 */
export const IDEMPOTENCY_SCRIPTS = [BEGIN, COMPLETE, RELEASE, EXTEND] as const
