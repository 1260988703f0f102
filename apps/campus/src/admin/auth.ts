/**
 * Bearer-token authentication of the admin APIs (course builder, cache administration).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { FailureThrottle } from '../security/failure-throttle.js'
import { AdminError, adminProblem } from './errors.js'

/** The verdict on a request's credentials. */
export type AdminVerdict = 'ok' | 'disabled' | 'unauthenticated'

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/**
 * Checks `Authorization: Bearer <token>` against the configured token. Both sides are hashed
 * first so `timingSafeEqual` compares equal-length buffers: the comparison time leaks neither
 * the token's characters nor its length.
 */
export function checkAdminToken(
  authorization: string | null | undefined,
  token: string | undefined,
): AdminVerdict {
  if (!token) return 'disabled'
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '')
  const presented = match?.[1]
  if (presented === undefined) return 'unauthenticated'
  return timingSafeEqual(digest(presented), digest(token)) ? 'ok' : 'unauthenticated'
}

/** The problem response for a refused verdict. */
export function refusal(verdict: Exclude<AdminVerdict, 'ok'>): Response {
  if (verdict === 'disabled') {
    return adminProblem(
      new AdminError('E_ADMIN_DISABLED', 503, 'admin API disabled: set ADMIN_TOKEN'),
    )
  }
  return adminProblem(
    new AdminError('E_UNAUTHENTICATED', 401, 'a valid admin bearer token is required'),
    { 'www-authenticate': 'Bearer' },
  )
}

/**
 * Hono middleware admitting only requests with the admin token. No token configured → 503 (the
 * API is off, not forbidden); missing or wrong → 401 with `WWW-Authenticate: Bearer`; with a
 * `throttle`, too many wrong ones from one address → 429 (`security/failure-throttle.ts`).
 */
export function adminAuth(
  token: string | undefined,
  throttle?: FailureThrottle,
): MiddlewareHandler {
  return async (c, next) => {
    if (token && throttle) {
      const blocked = await throttle.blocked(c)
      if (blocked) return blocked
    }
    const verdict = checkAdminToken(c.req.header('authorization'), token)
    if (verdict === 'unauthenticated' && throttle) {
      const throttled = await throttle.failed(c)
      if (throttled) return throttled
    }
    if (verdict !== 'ok') return refusal(verdict)
    await next()
  }
}
