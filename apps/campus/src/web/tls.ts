/**
 * Whether a request reached campus over TLS: directly (`https:` URL) or through a TLS-terminating
 * proxy that says so with `X-Forwarded-Proto: https`. The session cookie's `Secure` flag and the
 * HSTS header both follow it.
 *
 * Believing the header from anyone is safe for both uses: a client that lies can only make its
 * own cookie stricter, and a browser ignores `Strict-Transport-Security` received over plain
 * HTTP (RFC 6797 §8.1), so a lie cannot pin a plain-HTTP site. Behind a proxy, campus sees plain
 * HTTP on the socket, so without the header neither would ever be sent.
 *
 * @module
 */
import type { Context } from 'hono'

/**
 * True when the request came over TLS, per its URL or the proxy's `X-Forwarded-Proto`.
 * @example if (cameOverTls(c)) c.header('Strict-Transport-Security', 'max-age=31536000')
 */
export function cameOverTls(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  // A proxy chain may list one scheme per hop (`https, http`); the first is the client's.
  const forwarded = c.req.header('x-forwarded-proto')
  return forwarded?.split(',')[0]?.trim().toLowerCase() === 'https'
}
