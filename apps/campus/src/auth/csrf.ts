/**
 * CSRF protection for every form post: Hono's `csrf` middleware (the request's `Origin` or
 * `Sec-Fetch-Site` must say same-origin for form and text bodies), answering 403 problem+json.
 * Exempt: requests carrying an `Authorization` header (a bearer token is not an ambient
 * credential a cross-site form could borrow, and API clients send no `Origin`), and `/api/`
 * requests without a session cookie (no ambient credential either; the sign-in APIs accept
 * only `application/json` bodies, which no cross-site form can send, so login CSRF through
 * them is refused with 415). Every page form post is checked, cookie or not.
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { problemResponse } from 'satchel/http'
import { sessionTokenOf } from './cookie.js'
import { NO_STORE } from './errors.js'

/**
 * The app-wide CSRF guard.
 * @example app.use('*', csrfProtection())
 */
export function csrfProtection(): MiddlewareHandler {
  const guard = csrf()
  return async (c, next) => {
    if (c.req.header('authorization')) return next()
    if (c.req.path.startsWith('/api/') && !sessionTokenOf(c)) return next()
    let admitted = false
    try {
      await guard(c, () => {
        admitted = true
        return next()
      })
    } catch (error) {
      // Only the guard's own refusal; a 403 thrown further down is not a CSRF failure.
      if (admitted || !(error instanceof HTTPException) || error.status !== 403) throw error
      return problemResponse(
        {
          title: 'Forbidden',
          status: 403,
          detail: 'Cross-site form posts are refused; submit the form from this site.',
          code: 'E_CSRF',
        },
        NO_STORE,
      )
    }
  }
}
