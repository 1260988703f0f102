/**
 * The client address of a request, for per-IP rate limits and the sessions table: satchel's
 * `clientIp` over the socket peer (@hono/node-server's `getConnInfo`) and `X-Forwarded-For`,
 * believing forwarded addresses only through the proxies in `TRUSTED_PROXIES` (addresses and
 * CIDR ranges, or a hop count). With none configured the socket peer is the client: a client
 * that could name its own address could escape every per-IP limit.
 *
 * @module
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { type ClientIpOptions, clientIp } from 'satchel/http'

/** What `TRUSTED_PROXIES` compiles to: a hop count or addresses and CIDRs. */
export type TrustedProxies = ClientIpOptions['trustedProxies']

declare module 'hono' {
  interface ContextVariableMap {
    /** Set once per request by the app (auth/middleware.ts `campusRequest`). */
    trustedProxies: TrustedProxies
  }
}

/** The address used when there is no valid one (no socket: in-process requests in tests). */
export const UNKNOWN_CLIENT = 'unknown'

/**
 * Reads `TRUSTED_PROXIES` entries: one whole number is a hop count, anything else a list of
 * addresses and CIDRs. Validated at once (satchel throws `E_INVALID_OPTION` naming the entry),
 * so a typo fails the start rather than every request.
 * @example trustProxies(['10.0.0.0/8']) // ['10.0.0.0/8']; trustProxies(['1']) // 1
 */
export function trustProxies(entries: readonly string[]): TrustedProxies {
  const only = entries.length === 1 ? entries[0] : undefined
  const trusted: TrustedProxies = only !== undefined && /^\d+$/.test(only) ? Number(only) : entries
  clientIp({ remoteAddress: undefined, headers: new Headers() }, { trustedProxies: trusted })
  return trusted
}

/**
 * The client address of the request in `c`, or `unknown`.
 * @example const ip = clientIpOf(c) // '203.0.113.9'
 */
export function clientIpOf(c: Context): string {
  let remoteAddress: string | undefined
  try {
    remoteAddress = getConnInfo(c).remote.address
  } catch {
    // No Node socket behind the request (app.request() in tests, another runtime).
    remoteAddress = undefined
  }
  const trustedProxies = c.get('trustedProxies') ?? 0
  return (
    clientIp({ remoteAddress, headers: c.req.raw.headers }, { trustedProxies }) ?? UNKNOWN_CLIENT
  )
}
