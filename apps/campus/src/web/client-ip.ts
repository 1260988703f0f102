/**
 * The client address of a request, for per-IP rate limits and the sessions table. The socket
 * peer is the client unless it is a trusted proxy (`TRUSTED_PROXIES`: addresses or CIDR
 * ranges); then `X-Forwarded-For` is walked from the right, skipping trusted hops, and the first
 * untrusted address is the client. Forwarded headers from anyone else are ignored: a client
 * that could name its own address could escape every per-IP limit.
 *
 * @module
 */
import { BlockList, isIP } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

declare module 'hono' {
  interface ContextVariableMap {
    /** Set once per request by the app (see {@link trustProxies}). */
    trustedProxies: TrustedProxies
  }
}

/** A compiled `TRUSTED_PROXIES` list. */
export interface TrustedProxies {
  has(address: string): boolean
}

/** No proxy is trusted: the socket peer is the client. */
export const NO_TRUSTED_PROXIES: TrustedProxies = { has: () => false }

/** The address used when the request has no socket (in-process requests in tests and tools). */
export const UNKNOWN_CLIENT = 'unknown'

function normalise(address: string): string {
  // IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is how dual-stack sockets report IPv4 peers.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped?.[1] ?? address
}

/**
 * Compiles `TRUSTED_PROXIES` entries (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`).
 * @throws Error naming an entry that is neither an address nor a CIDR range.
 */
export function trustProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return NO_TRUSTED_PROXIES
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/')
    const family = isIP(address)
    if (family === 0) throw new Error(`TRUSTED_PROXIES: ${JSON.stringify(entry)} is not an IP`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return {
    has(address) {
      const a = normalise(address)
      const family = isIP(a)
      return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}

/**
 * The client address of a request from its socket peer and headers, trusting `X-Forwarded-For`
 * only through trusted proxies.
 * @example clientIpFrom('10.0.0.2', 'x-forwarded-for: 203.0.113.9', trusted) // '203.0.113.9'
 */
export function clientIpFrom(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  if (!remoteAddress) return UNKNOWN_CLIENT
  let client = normalise(remoteAddress)
  if (!trusted.has(client) || !forwardedFor) return client
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalise(hops[i] ?? '')
    if (isIP(hop) === 0) return client
    client = hop
    if (!trusted.has(hop)) return hop
  }
  return client
}

/**
 * The client address of the request in `c`: the socket address via @hono/node-server's
 * `getConnInfo`, through the app's trusted proxies. `unknown` when there is no socket.
 * @example const ip = clientIpOf(c) // '203.0.113.9'
 */
export function clientIpOf(c: Context): string {
  let remote: string | undefined
  try {
    remote = getConnInfo(c).remote.address
  } catch {
    // No Node socket behind the request (app.request() in tests, another runtime).
    remote = undefined
  }
  const trusted = c.get('trustedProxies') ?? NO_TRUSTED_PROXIES
  return clientIpFrom(remote, c.req.header('x-forwarded-for'), trusted)
}
