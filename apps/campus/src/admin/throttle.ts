/**
 * Throttling of failed admin-token attempts, per client IP (trusted-proxy aware). Every refused
 * token counts against satchel's rate limiter (`admin-auth-failures`: 10 per 15 minutes); the
 * attempt that goes over it blocks the address for the rest of the window, and while blocked
 * every admin request from it, right token or not, is answered 429 before the token is even
 * compared, so guessing gains nothing from going on. Fails open: with Redis down nothing is
 * counted or blocked (the token itself still guards the API). See docs/SECURITY.md.
 *
 * @module
 */
import type { Context } from 'hono'
import { ipIdentifier, type LimitResult, type RateLimiter, type Satchel } from 'satchel'
import { rateLimitHeaders, tooManyRequests } from 'satchel/http'
import { clientIpOf } from '../web/client-ip.js'

/** Failed attempts admitted per window and address. */
export const ADMIN_FAILURE_LIMIT = 10
/** The window of {@link ADMIN_FAILURE_LIMIT}. */
export const ADMIN_FAILURE_WINDOW = '15m'

const POLICY = 'admin-auth-failures'

/** The throttle `adminAuth` consults. */
export interface AdminThrottle {
  /** A 429 when the request's address is blocked, else null. */
  blocked(c: Context): Promise<Response | null>
  /** Counts a refused token; a 429 when this attempt went over the limit, else null. */
  failed(c: Context): Promise<Response | null>
}

/** The throttle on `satchel`'s rate limiter, with the block marks in its cache. */
export function createAdminThrottle(satchel: Satchel): AdminThrottle {
  const limiter: RateLimiter = satchel.rateLimiter({
    name: POLICY,
    limit: ADMIN_FAILURE_LIMIT,
    window: ADMIN_FAILURE_WINDOW,
    algorithm: 'sliding-window',
    failurePolicy: 'open',
  })
  const blockKey = (identifier: string) => satchel.keys.global('admin-auth-block', identifier)
  const refuse = (retryAfterMs: number): Response => {
    const now = Date.now()
    const result: LimitResult = {
      success: false,
      limit: ADMIN_FAILURE_LIMIT,
      remaining: 0,
      resetAt: now + retryAfterMs,
      retryAfterMs,
      decidedAt: now,
    }
    const headers = rateLimitHeaders(result, limiter)
    headers.set('cache-control', 'no-store')
    return tooManyRequests(result, headers, POLICY)
  }
  return {
    async blocked(c) {
      const until = await satchel.cache.get<number>(blockKey(ipIdentifier(clientIpOf(c))))
      if (until === undefined || until <= Date.now()) return null
      return refuse(until - Date.now())
    },
    async failed(c) {
      const identifier = ipIdentifier(clientIpOf(c))
      const result = await limiter.limit(identifier)
      if (result.success) return null
      const retryAfterMs = Number.isFinite(result.retryAfterMs) ? result.retryAfterMs : 60_000
      const until = Date.now() + retryAfterMs
      await satchel.cache.set(blockKey(identifier), until, { ttl: retryAfterMs })
      return refuse(retryAfterMs)
    },
  }
}
