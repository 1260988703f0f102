/**
 * Rate limits of the SCORM launch endpoints. A launch writes (the registration, the SCO
 * state, for a dispatch a launch token), so a script looping on one must not be able to flood
 * PostgreSQL: the learner player (`GET /scorm/packages/:id`) is limited per signed-in user, the
 * dispatch launch (`POST /api/dispatch/:id/launch`, no campus session) per client IP. Refusals
 * are 429 problem+json with `Retry-After` and `RateLimit`/`RateLimit-Policy` (satchel's
 * adapter). Insurance when Redis is down: an in-process limiter keeps bounding each process, and
 * a launch is never refused for want of Redis. Thresholds are in docs/scorm.md.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { RateLimiter, Satchel } from 'satchel'
import { ipIdentifier } from 'satchel'
import { honoRateLimit } from 'satchel/http'
import { clientIpOf } from '../web/client-ip.js'

/** Policy names (in `RateLimit-Policy` and the 429's `violated-policies`) and thresholds. */
export const LAUNCH_LIMITS = {
  /** Learner launches (player page loads, SCO switches, reloads) per user per minute. */
  learner: { name: 'scorm-launch-user', limit: 60, window: '1m' },
  /** Dispatch launches per client IP per minute (the launcher calls from the learner's browser). */
  dispatch: { name: 'scorm-dispatch-launch-ip', limit: 60, window: '1m' },
} as const

function limiter(satchel: Satchel, which: keyof typeof LAUNCH_LIMITS): RateLimiter {
  const { name, limit, window } = LAUNCH_LIMITS[which]
  return satchel.rateLimiter({
    name,
    limit,
    window,
    // Sliding: a burst at a window's boundary cannot double the quota.
    algorithm: 'sliding-window',
    failurePolicy: 'insurance',
    insurance: { limit },
  })
}

/**
 * The learner launch limit, per signed-in user (it runs after `requireSignIn`, so the
 * session is there; a request without one is never counted here).
 * @example app.get('/scorm/packages/:id', requireSignIn(), learnerLaunchLimit(satchel, userOf), …)
 */
export function learnerLaunchLimit(
  satchel: Satchel,
  userOf: (c: Context) => Promise<string>,
): MiddlewareHandler {
  return honoRateLimit(limiter(satchel, 'learner'), {
    identify: async (c) => `user:${await userOf(c)}`,
  })
}

/** The dispatch launch limit, per client IP (trusted-proxy aware). */
export function dispatchLaunchLimit(satchel: Satchel): MiddlewareHandler {
  return honoRateLimit(limiter(satchel, 'dispatch'), {
    identify: (c) => ipIdentifier(clientIpOf(c)),
  })
}
