/**
 * One atomic Lua script per algorithm. Shared shape:
 *
 * - `KEYS[1]`: the identifier's key (see `keys.ts`); every algorithm keeps ONE key per
 *   identifier, so `reset` is a single exact `DEL`.
 * - `ARGV`: window in µs, limit, cost, then per algorithm (refill per window; a unique nonce).
 * - Time is the Redis server's (`TIME`, µs), so the clocks of different app servers never
 *   matter. (Redis < 5 would need `redis.replicate_commands()` before a write after `TIME`;
 *   Redis 5+ replicates effects by default and 7.x has no other mode.)
 * - Returns `{1, remaining, resetAtUs, nowUs}` when admitted and
 *   `{0, remaining, resetAtUs, nowUs, retryUs, retry1Us}` when rejected: `retryUs` is the wait
 *   until a call of the same cost could pass (-1: never, cost > limit), `retry1Us` the wait for a
 *   cost-1 call when `remaining` is 0 (the block cache's horizon), else 0. (Every value in a
 *   script's reply table costs server CPU on the hot path, hence the short admitted form.)
 * - A rejected call only reads: it changes no value and no TTL. Every write sets a TTL, one ms
 *   longer than needed: Redis measures expiry in whole ms from the script's start, so a key
 *   could otherwise vanish up to 1 ms before its window ends and reset a count early.
 * - Numbers written to Redis are formatted with `string.format`: Lua's default `%.14g` would
 *   round a µs timestamp (16 digits).
 *
 * @module
 */
import { defineScript, type LuaScript } from '../core/scripts.js'
import type { RateLimitAlgorithm } from './types.js'

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
`

/** Aligned windows; hash `{w: window id, c: count}`, expiring at the window's end. */
export const FIXED_WINDOW = defineScript(
  'ratelimit.fixed-window',
  `${NOW}
local key = KEYS[1]
local w = math.floor(now / window)
local stored = redis.call('HMGET', key, 'w', 'c')
local same = tonumber(stored[1]) == w
local c = 0
if same then c = tonumber(stored[2]) or 0 end
local wend = (w + 1) * window
if cost <= limit and c + cost <= limit then
  if same then
    -- The TTL set when this window began still ends it: one write, not two.
    c = redis.call('HINCRBY', key, 'c', cost)
  else
    c = cost
    redis.call('HSET', key, 'w', string.format('%.0f', w), 'c', c)
    redis.call('PEXPIRE', key, math.ceil((wend - now) / 1000) + 1)
  end
  return {1, limit - c, wend, now}
end
local retry = -1
if cost <= limit then retry = wend - now end
local retry1 = 0
if c >= limit then retry1 = wend - now end
local reset = now
if c > 0 then reset = wend end
return {0, math.max(0, limit - c), reset, now, retry, retry1}
`,
)

/**
 * Two-window weighting; hash `{w, c: this window's count, p: previous window's count}`,
 * expiring when it stops mattering (end of the next window).
 */
export const SLIDING_WINDOW = defineScript(
  'ratelimit.sliding-window',
  `${NOW}
local key = KEYS[1]
local w = math.floor(now / window)
local s = redis.call('HMGET', key, 'w', 'c', 'p')
local sw = tonumber(s[1])
local c = 0
local p = 0
if sw == w then
  c = tonumber(s[2]) or 0
  p = tonumber(s[3]) or 0
elseif sw == w - 1 then
  p = tonumber(s[2]) or 0
end
local elapsed = now - w * window
local weight = (window - elapsed) / window
if cost <= limit and p * weight + c + cost <= limit then
  if sw == w then
    -- The TTL set when this window began is still right (end of the next window).
    c = redis.call('HINCRBY', key, 'c', cost)
  else
    c = c + cost
    redis.call('HSET', key, 'w', string.format('%.0f', w), 'c', c, 'p', p)
    redis.call('PEXPIRE', key, math.ceil(((w + 2) * window - now) / 1000) + 1)
  end
  return {1, math.max(0, math.floor(limit - p * weight - c)), (w + 2) * window, now}
end
local function retry_for(k)
  if k > limit then return -1 end
  if c + k <= limit and p > 0 then
    return math.ceil(window - window * (limit - c - k) / p - elapsed)
  end
  local e = 0
  if c > 0 then e = math.max(0, window - window * (limit - k) / c) end
  return math.ceil(window - elapsed + e)
end
local remaining = math.max(0, math.floor(limit - p * weight - c))
local retry1 = 0
if remaining == 0 then retry1 = retry_for(1) end
local reset = now
if c > 0 then reset = (w + 2) * window elseif p > 0 then reset = (w + 1) * window end
return {0, remaining, reset, now, retry_for(cost), retry1}
`,
)

/**
 * Exact log: sorted set of admitted calls (score = server µs, member = nonce:i, unique per call
 * so equal timestamps never merge). Entries older than the window are trimmed on admission only,
 * so a rejection stays read-only; the key expires one window after its newest entry.
 */
export const SLIDING_LOG = defineScript(
  'ratelimit.sliding-log',
  `${NOW}
local key = KEYS[1]
local nonce = ARGV[4]
local from = now - window
local open_from = '(' .. string.format('%.0f', from)
local count = redis.call('ZCOUNT', key, open_from, '+inf')
if cost <= limit and count + cost <= limit then
  redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', from))
  local score = string.format('%.0f', now)
  local i = 1
  while i <= cost do
    -- Batches keep unpack() far below Lua's C-stack limit for large costs.
    local args = {}
    local last = math.min(cost, i + 499)
    for j = i, last do
      args[#args + 1] = score
      args[#args + 1] = nonce .. ':' .. j
    end
    redis.call('ZADD', key, unpack(args))
    i = last + 1
  end
  redis.call('PEXPIRE', key, math.ceil(window / 1000) + 1)
  return {1, limit - count - cost, now + window, now}
end
local function retry_for(k)
  if k > limit then return -1 end
  local e = redis.call('ZRANGEBYSCORE', key, open_from, '+inf', 'WITHSCORES', 'LIMIT', count + k - limit - 1, 1)
  return tonumber(e[2]) + window - now
end
local remaining = math.max(0, limit - count)
local retry1 = 0
if remaining == 0 then retry1 = retry_for(1) end
local reset = now
if count > 0 then
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  reset = tonumber(newest[2]) + window
end
return {0, remaining, reset, now, retry_for(cost), retry1}
`,
)

/**
 * Token bucket; hash `{t: tokens (exact double), ts: last update µs}`. A missing key is a full
 * bucket, so the key expires exactly when the bucket would be full again (rounded up: expiring
 * early would hand out tokens not yet refilled).
 */
export const TOKEN_BUCKET = defineScript(
  'ratelimit.token-bucket',
  `${NOW}
local key = KEYS[1]
local rate = tonumber(ARGV[4]) / window
local s = redis.call('HMGET', key, 't', 'ts')
local tokens = limit
local st = tonumber(s[1])
local sts = tonumber(s[2])
if st and sts then tokens = math.min(limit, st + math.max(0, now - sts) * rate) end
if cost <= limit and tokens >= cost then
  tokens = tokens - cost
  local full = (limit - tokens) / rate
  redis.call('HSET', key, 't', string.format('%.17g', tokens), 'ts', string.format('%.0f', now))
  redis.call('PEXPIRE', key, math.ceil(full / 1000) + 1)
  return {1, math.floor(tokens), math.ceil(now + full), now}
end
local function retry_for(k)
  if k > limit then return -1 end
  return math.ceil((k - tokens) / rate)
end
local remaining = math.floor(tokens)
local retry1 = 0
if remaining == 0 then retry1 = retry_for(1) end
return {0, remaining, math.ceil(now + (limit - tokens) / rate), now, retry_for(cost), retry1}
`,
)

/** The script of each algorithm. @example SCRIPTS['sliding-log'].sha */
export const SCRIPTS: Readonly<Record<RateLimitAlgorithm, LuaScript>> = {
  'fixed-window': FIXED_WINDOW,
  'sliding-window': SLIDING_WINDOW,
  'sliding-log': SLIDING_LOG,
  'token-bucket': TOKEN_BUCKET,
}
