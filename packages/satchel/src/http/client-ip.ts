/**
 * The client's IP address behind reverse proxies, for per-IP rate limits and logs.
 *
 * `X-Forwarded-For` is a list every proxy appends to: `client, proxy1, proxy2`. Only the entries
 * written by proxies you run can be believed; everything to their left is whatever the client
 * sent. So the client is found from the right: start at the socket address, and step left over
 * each hop you trust. The first hop you do not trust is the client. This is the model of
 * Express's `trust proxy` (`proxy-addr`), with the same two ways to say what is trusted:
 * a hop count or a list of proxy addresses and CIDRs (satchel README, "Client IP behind proxies").
 *
 * @module
 */
import { BlockList, isIP, SocketAddress } from 'node:net'
import { InvalidOptionError } from '../core/errors.js'

/**
 * Options of {@link clientIp}.
 * @example
 * ```ts
 * const behindOneProxy: ClientIpOptions = { trustedProxies: 1 }
 * const behindOurLoadBalancers: ClientIpOptions = { trustedProxies: ['10.0.0.0/8', 'fd00::/8'] }
 * ```
 */
export interface ClientIpOptions {
  /** Proxies in front of the app: a hop count (trust the N rightmost X-Forwarded-For entries) or trusted CIDRs/addresses. 0 / [] → only the socket address counts. */
  trustedProxies: number | readonly string[]
}

/** Where a request's address comes from: the socket's peer and the request headers. */
export interface ClientIpInput {
  /** The TCP peer, e.g. `getConnInfo(c).remote.address` (Hono) or `req.socket.remoteAddress`. */
  remoteAddress: string | undefined
  headers: Headers
}

/** Either the hop count, or a predicate over a normalised address. */
type Trust = number | ((address: string) => boolean)

/** Compiled `trustedProxies` lists, so a route does not parse its CIDRs on every request. */
const compiled = new WeakMap<readonly string[], BlockList>()

/**
 * The client's IP, normalised (ip:port and [v6]:port parsed, IPv4-mapped IPv6 unwrapped); undefined when none is valid.
 *
 * - `trustedProxies: 0` or `[]`: the socket address; `X-Forwarded-For` is ignored.
 * - `trustedProxies: N`: the Nth entry from the right of the socket address and
 *   `X-Forwarded-For` (N = 1: the rightmost entry, written by your one proxy). When the header has
 *   fewer entries than N, the leftmost one is the answer.
 * - `trustedProxies: ['10.0.0.0/8', ...]`: from the socket address leftwards, the first address
 *   that is not in the list. An entry that is not an IP address is never trusted, so it ends the
 *   walk and the answer is `undefined`.
 *
 * IPv6 comes back in RFC 5952 form (lower case, zeros compressed), so one address spelled two
 * ways is one client. A malformed `trustedProxies` throws `E_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { getConnInfo } from '@hono/node-server/conninfo'
 * const ip = clientIp(
 *   { remoteAddress: getConnInfo(c).remote.address, headers: c.req.raw.headers },
 *   { trustedProxies: 1 },
 * )
 * const result = await loginLimiter.limit(ipIdentifier(ip)) // undefined → 'ip:invalid'
 * ```
 */
export function clientIp(input: ClientIpInput, options: ClientIpOptions): string | undefined {
  const trust = compile(options.trustedProxies)
  if (trust === 0) return normalizeIp(input.remoteAddress)
  // chain[0] is the socket peer; chain[i] is the ith X-Forwarded-For entry from the right.
  const chain: (string | undefined)[] = [input.remoteAddress, ...forwardedFor(input.headers)]
  if (typeof trust === 'number') return normalizeIp(chain[Math.min(trust, chain.length - 1)])
  for (let i = 0; i < chain.length; i++) {
    const address = normalizeIp(chain[i])
    if (address === undefined || i === chain.length - 1 || !trust(address)) return address
  }
  return undefined
}

/** `X-Forwarded-For` entries, rightmost first (repeated headers are joined by `Headers.get`). */
function forwardedFor(headers: Headers): string[] {
  const value = headers.get('x-forwarded-for')
  if (value === null) return []
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .reverse()
}

function compile(trustedProxies: number | readonly string[]): Trust {
  if (typeof trustedProxies === 'number') {
    if (!Number.isSafeInteger(trustedProxies) || trustedProxies < 0) {
      throw new InvalidOptionError('trustedProxies', 'a hop count must be an integer ≥ 0')
    }
    return trustedProxies
  }
  if (!Array.isArray(trustedProxies)) {
    throw new InvalidOptionError(
      'trustedProxies',
      'expected a hop count or an array of addresses and CIDRs',
    )
  }
  if (trustedProxies.length === 0) return 0
  let list = compiled.get(trustedProxies)
  if (list === undefined) {
    list = new BlockList()
    trustedProxies.forEach(addRange.bind(null, list))
    compiled.set(trustedProxies, list)
  }
  const trusted = list
  return (address) => trusted.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Adds `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128) to `list`. `node:net`'s
 * BlockList does the matching: an IPv4-mapped range (`::ffff:10.0.0.0/104`) also matches the
 * plain IPv4 addresses it covers.
 */
function addRange(list: BlockList, entry: unknown, index: number): void {
  const field = `trustedProxies[${index}]`
  if (typeof entry !== 'string') throw new InvalidOptionError(field, 'expected a string')
  const [host = '', bitsText, ...rest] = entry.trim().split('/')
  const family = isIP(host)
  if (family === 0 || rest.length > 0) {
    throw new InvalidOptionError(field, `"${entry}" is not an IP address or CIDR`)
  }
  const max = family === 4 ? 32 : 128
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : -1
  if (bits < 0 || bits > max) {
    throw new InvalidOptionError(field, `"${entry}" has an invalid prefix length`)
  }
  list.addSubnet(host, bits, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * One address in canonical form, or undefined. Accepts `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
 * `[2001:db8::1]`, `[2001:db8::1]:443` and a zone (`fe80::1%eth0`, dropped); `::ffff:1.2.3.4`
 * becomes `1.2.3.4`. Validation is `node:net`'s strict `isIP` (no `1.2.3` or octal shorthands,
 * which the BSD parsers accept).
 */
export function normalizeIp(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined
  let host = value.trim()
  if (host.startsWith('[')) {
    const close = host.indexOf(']')
    if (close === -1 || !/^(:\d{1,5})?$/.test(host.slice(close + 1))) return undefined
    host = host.slice(1, close)
  } else {
    const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(host)
    if (v4WithPort) host = v4WithPort[1]!
  }
  const zone = host.indexOf('%')
  if (zone !== -1) host = host.slice(0, zone)
  const version = isIP(host)
  if (version === 4) return host
  if (version !== 6) return undefined
  // SocketAddress writes IPv6 the way inet_ntop does: RFC 5952, mapped IPv4 as ::ffff:a.b.c.d.
  const canonical = new SocketAddress({ address: host, family: 'ipv6' }).address
  const mapped = canonical.startsWith('::ffff:') ? canonical.slice(7) : ''
  return isIP(mapped) === 4 ? mapped : canonical
}
