/**
 * Security headers on every response (docs/SECURITY.md lists each with its value):
 * Hono's `secureHeaders` with a Content-Security-Policy the pages and the video embed pass,
 * HSTS when the request came over TLS (directly or through a TLS-terminating proxy), and a Cache-Control on every response that set none:
 * content for a minute, anything else `no-store`, so no CDN keeps an outage or a 404 page.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { PAGE_CSS } from '../web/layout.js'
import { cameOverTls } from '../web/tls.js'

/** The only origin frames may load from: the privacy-enhanced YouTube embed. */
export const VIDEO_EMBED_ORIGIN = 'https://www.youtube-nocookie.com'

const PAGE_CSS_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`

/**
 * The Content-Security-Policy. Scripts only from campus itself (client scripts are static files
 * under `/assets/`; no inline script runs), the one inline stylesheet by its hash, frames only
 * from the video embed, and campus framed by nobody.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", PAGE_CSS_HASH],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  frameSrc: [VIDEO_EMBED_ORIGIN],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

declare module 'hono' {
  interface ContextVariableMap {
    /**
     * A route's own Content-Security-Policy and framing, replacing the site's: the SCORM
     * player frames campus-served content, and that content runs under a policy of its own
     * (docs/scorm.md).
     */
    ownSecurityPolicy: { csp: string; frameOptions: 'DENY' | 'SAMEORIGIN' }
  }
}

/** The policy as a header value (`default-src 'self'; script-src 'self'; …`). */
export function serializeCsp(policy: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(policy)
    .map(
      ([name, values]) =>
        `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`,
    )
    .join('; ')
}

/**
 * Sent only over TLS, direct or through a proxy that says so (`web/tls.ts`): a browser ignores it
 * on plain HTTP.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000'

/** Cache-Control of a successful response that chose none: content, fresh for a minute. */
export const CONTENT_CACHE_CONTROL = 'public, max-age=60'

/**
 * What a request that carries credentials gets instead: the answer may one day depend on who
 * asks, so no shared cache may keep it.
 */
export const PRIVATE_CACHE_CONTROL = 'private, no-cache'

const base = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  xFrameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  // Set below, only over TLS.
  strictTransportSecurity: false,
  permissionsPolicy: {
    camera: [],
    microphone: [],
    geolocation: [],
    payment: [],
    usb: [],
    // The video embed asks for these in its `allow` attribute; nobody else gets them.
    fullscreen: ['self', VIDEO_EMBED_ORIGIN],
    pictureInPicture: ['self', VIDEO_EMBED_ORIGIN],
    encryptedMedia: ['self', VIDEO_EMBED_ORIGIN],
  },
})

/** The security-header middleware `createApp` installs first. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await base(c, next)
    const headers = c.res.headers
    const own = c.get('ownSecurityPolicy')
    if (own) {
      headers.set('Content-Security-Policy', own.csp)
      headers.set('X-Frame-Options', own.frameOptions)
    }
    if (cameOverTls(c)) headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY)
    if (!headers.has('cache-control')) {
      const credentials = c.req.header('authorization') ?? c.req.header('cookie')
      const cacheable = c.res.status === 200 && (c.req.method === 'GET' || c.req.method === 'HEAD')
      headers.set(
        'Cache-Control',
        !cacheable ? 'no-store' : credentials ? PRIVATE_CACHE_CONTROL : CONTENT_CACHE_CONTROL,
      )
    }
  }
}
