/**
 * The session index's Lua scripts. Each touches the keys of one hash tag only (one token, or
 * one user), so every script runs unchanged on Redis Cluster.
 *
 * Times are the server's (`TIME`): expiry arithmetic inside one script then never mixes the
 * application's clock with Redis's.
 *
 * @module
 */
import { defineScript } from '../core/scripts.js'

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

/**
 * Adds a token to its user's index, unless `invalidateUser` ran recently (user tombstone).
 *
 * KEYS: index, user tombstone. ARGV: token hash, ttl ms of the copy about to be written, slack ms.
 * Returns the member's absolute expiry (server ms), or 0 when refused.
 *
 * The index is a sorted set scored by each member's expiry, so expired members are pruned here
 * and the index's own TTL is set to its latest member's expiry plus slack: never shorter than
 * any copy it lists, never kept alive by members that are gone. `ZADD` is atomic, so concurrent
 * logins of one user cannot lose each other's entries (no read-modify-write).
 */
export const ADD_TO_INDEX = defineScript(
  'session.index-add',
  `${NOW}
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local exp = now + tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not old or tonumber(old) < exp then redis.call('ZADD', KEYS[1], exp, ARGV[1]) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local keep = tonumber(last[2]) - now + tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < keep then redis.call('PEXPIRE', KEYS[1], keep) end
return exp`,
)

/**
 * Writes the session copy unless `invalidate` ran since the read-through started (tombstone).
 *
 * KEYS: copy, token tombstone. ARGV: encoded session, absolute expiry (server ms, from
 * ADD_TO_INDEX on standalone Redis; on Cluster another node's clock, within the index slack).
 * Returns 1 when written, 0 when refused or already expired.
 *
 * The expiry is absolute, so a write that reaches Redis late (a command that timed out
 * client-side while the server was paused) cannot outlive its index entry.
 */
export const WRITE_COPY = defineScript(
  'session.write',
  `${NOW}
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local ttl = tonumber(ARGV[2]) - now
if ttl <= 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
return 1`,
)

/**
 * Deletes a session copy and leaves a tombstone that makes an in-flight read-through's
 * WRITE_COPY a no-op. KEYS: copy, token tombstone. ARGV: tombstone ttl ms. Returns keys deleted.
 */
export const INVALIDATE_TOKEN = defineScript(
  'session.invalidate',
  `redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return redis.call('DEL', KEYS[1])`,
)

/**
 * First step of `invalidateUser`: leave the user tombstone (no new index entries while it
 * lives) and list the members. KEYS: index, user tombstone. ARGV: tombstone ttl ms.
 */
export const BEGIN_REVOKE_USER = defineScript(
  'session.revoke-user',
  `redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)`,
)

/**
 * Last step of `invalidateUser`: drop the swept members; delete the index once empty.
 * KEYS: index. ARGV: members. Returns the members left (0 normally).
 */
export const END_REVOKE_USER = defineScript(
  'session.revoke-user-end',
  `if #ARGV > 0 then redis.call('ZREM', KEYS[1], unpack(ARGV)) end
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[1]) end
return left`,
)

/**
 * Every session script, for the SHA check against a real server.
 * @example for (const s of SESSION_SCRIPTS) expect(await redis.script('LOAD', s.lua)).toBe(s.sha)
 */
export const SESSION_SCRIPTS = [
  ADD_TO_INDEX,
  WRITE_COPY,
  INVALIDATE_TOKEN,
  BEGIN_REVOKE_USER,
  END_REVOKE_USER,
] as const
