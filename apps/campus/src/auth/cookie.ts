/**
 * The session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on cross-site
 * posts), `Path=/`, and `Secure` when the request came over TLS, directly or through a proxy
 * that says so (`web/tls.ts`).
 *
 * @module
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { cameOverTls } from '../web/tls.js'

/** The cookie's name. */
export const SESSION_COOKIE = 'campus_session'

/** When cookies carry `Secure` (`COOKIE_SECURE`). */
export type CookieSecurePolicy = 'auto' | 'always' | 'never'

function secure(c: Context, policy: CookieSecurePolicy): boolean {
  return policy === 'always' || (policy === 'auto' && cameOverTls(c))
}

/** Sets the session cookie for `maxAgeMs`. */
export function setSessionCookie(
  c: Context,
  token: string,
  maxAgeMs: number,
  policy: CookieSecurePolicy,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(c, policy),
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  })
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context, policy: CookieSecurePolicy): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c, policy), httpOnly: true })
}

/** The session token the request carries, if any. */
export function sessionTokenOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE)
}
