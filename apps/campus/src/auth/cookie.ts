/**
 * The session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on cross-site
 * posts), `Path=/`, and `Secure` when the request came over TLS, directly or through a proxy
 * that says so (`X-Forwarded-Proto: https`). Trusting that header for `Secure` is safe: a lie
 * can only make the cookie stricter.
 *
 * @module
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

/** The cookie's name. */
export const SESSION_COOKIE = 'campus_session'

/** When cookies carry `Secure` (`COOKIE_SECURE`). */
export type CookieSecurePolicy = 'auto' | 'always' | 'never'

function overTls(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

function secure(c: Context, policy: CookieSecurePolicy): boolean {
  return policy === 'always' || (policy === 'auto' && overTls(c))
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
