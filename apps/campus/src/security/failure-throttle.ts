/**
 * Throttling of failures per client IP (trusted-proxy aware), on satchel's rate limiter: every
 * failure counts; the one that goes over the limit blocks the address for the rest of the
 * window, and while blocked the address gets 429 before the request does any work. Used for
 * wrong admin tokens and for 404s. Fails open: with Redis down nothing is counted or blocked.
 * See docs/SECURITY.md.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import {
  type Duration,
  ipIdentifier,
  type LimitResult,
  type RateLimiter,
  type Satchel,
} from 'satchel'
import { rateLimitHeaders, tooManyRequests } from 'satchel/http'
import { clientIpOf } from '../web/client-ip.js'

/** A throttle of one kind of failure. */
export interface FailureThrottle {
  /** A 429 when the request's address is blocked, else null. */
  blocked(c: Context): Promise<Response | null>
  /**
   * Counts a failure; a 429 when this one went over the limit, else null. Going over also
   * blocks the address for the rest of the window (see {@link FailureThrottle.blocked}).
   */
  failed(c: Context): Promise<Response | null>
  /** Counts a failure without blocking: a 429 while the address is over the limit. */
  count(c: Context): Promise<Response | null>
}

/** What to throttle: the policy name (also the limiter's), failures allowed per window. */
export interface FailureThrottleOptions {
  name: string
  limit: number
  window: Duration
}

function retryAfter(result: LimitResult): number {
  return Number.isFinite(result.retryAfterMs) ? Math.max(1, result.retryAfterMs) : 60_000
}

/** A throttle on `satchel`'s rate limiter, with the block marks in its cache. */
export function createFailureThrottle(
  satchel: Satchel,
  options: FailureThrottleOptions,
): FailureThrottle {
  const limiter: RateLimiter = satchel.rateLimiter({
    name: options.name,
    limit: options.limit,
    window: options.window,
    algorithm: 'sliding-window',
    failurePolicy: 'open',
  })
  const blockKey = (identifier: string) => satchel.keys.global(`${options.name}-block`, identifier)
  const refuse = (retryAfterMs: number): Response => {
    const now = Date.now()
    const result: LimitResult = {
      success: false,
      limit: options.limit,
      remaining: 0,
      resetAt: now + retryAfterMs,
      retryAfterMs,
      decidedAt: now,
    }
    const headers = rateLimitHeaders(result, limiter)
    headers.set('cache-control', 'no-store')
    return tooManyRequests(result, headers, options.name)
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
      const retryAfterMs = retryAfter(result)
      await satchel.cache.set(blockKey(identifier), Date.now() + retryAfterMs, {
        ttl: retryAfterMs,
      })
      return refuse(retryAfterMs)
    },
    async count(c) {
      const result = await limiter.limit(ipIdentifier(clientIpOf(c)))
      return result.success ? null : refuse(retryAfter(result))
    },
  }
}

/** Wrong admin tokens admitted per window and address. */
export const ADMIN_FAILURE_LIMIT = 10

/** The admin-token throttle: 10 wrong tokens per 15 minutes per address. */
export function createAdminThrottle(satchel: Satchel): FailureThrottle {
  return createFailureThrottle(satchel, {
    name: 'admin-auth-failures',
    limit: ADMIN_FAILURE_LIMIT,
    window: '15m',
  })
}

/** 404 answers admitted per window and address. */
export const NOT_FOUND_LIMIT = 120

/**
 * The 404 throttle: 120 per minute per address. A 404 on a plausible slug costs a database
 * query; a client walking made-up URLs is slowed to that rate.
 */
export function createNotFoundThrottle(satchel: Satchel): FailureThrottle {
  return createFailureThrottle(satchel, {
    name: 'not-found',
    limit: NOT_FOUND_LIMIT,
    window: '1m',
  })
}

/**
 * Hono middleware counting every 404 a GET answers against `throttle`: past the limit an
 * address gets 429 instead of its 404s. Only 404s pay a Redis call; a page view pays nothing.
 */
export function throttleNotFound(throttle: FailureThrottle): MiddlewareHandler {
  return async (c, next) => {
    await next()
    if (c.res.status !== 404 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return
    const throttled = await throttle.count(c)
    if (throttled) c.res = throttled
  }
}
