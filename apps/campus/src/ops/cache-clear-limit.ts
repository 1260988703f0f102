/**
 * The rate limit of the cache-clearing endpoints (`POST /api/admin/cache/clear` and
 * `POST /api/admin/cache`). A clear walks the whole keyspace with SCAN and sends every reader
 * back to the database, so a script looping on it, or a leaked admin credential, must not be
 * able to keep the cache empty. Thresholds are in docs/operations.md.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { RateLimiter, Satchel } from 'satchel'
import { honoRateLimit } from 'satchel/http'

/** The policy name in `RateLimit-Policy` and in the 429's `violated-policies`. */
export const CACHE_CLEAR_POLICY = 'admin-cache-clear'

/** Clears admitted per caller in any one minute. */
export const CACHE_CLEAR_LIMIT = 10

/**
 * The limiter. Sliding window: a burst at a minute's boundary cannot double the quota the way a
 * fixed window would. Insurance when Redis is down: an in-process limiter still bounds clears
 * (each of which then answers 503 anyway, but without a SCAN attempt per request).
 */
export function createCacheClearLimiter(satchel: Satchel): RateLimiter {
  return satchel.rateLimiter({
    name: CACHE_CLEAR_POLICY,
    algorithm: 'sliding-window',
    limit: CACHE_CLEAR_LIMIT,
    window: '1m',
    failurePolicy: 'insurance',
    insurance: { limit: CACHE_CLEAR_LIMIT },
  })
}

/**
 * Who is clearing, for the quota: the principal the admin-access middleware stored in the
 * context (`adminCaller`), else the one admin-token holder.
 */
function callerOf(c: Context): string {
  const caller: unknown = c.get('adminCaller')
  return typeof caller === 'string' && caller !== '' ? caller : 'operator:admin-token'
}

/** Hono middleware limiting POSTs only (GET of the stats stays free). */
export function cacheClearLimit(limiter: RateLimiter): MiddlewareHandler {
  const limit = honoRateLimit(limiter, { identify: (c) => callerOf(c) })
  return async (c, next) => (c.req.method === 'POST' ? limit(c, next) : next())
}
