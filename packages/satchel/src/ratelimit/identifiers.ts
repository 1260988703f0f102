/**
 * Identifier helpers: turn what a request carries into the string a limiter counts by. Each
 * helper prefixes its kind (`ip:`, `email:`, `user:`, `org:`), so an email can never share a
 * bucket with a username or an address that happens to spell the same.
 *
 * @module
 */
import { isIP } from 'node:net'

/**
 * The identifier for a client address. IPv4 is kept whole; IPv6 is grouped by its /56 prefix,
 * the allocation a single home or small site typically receives, so one client cannot dodge a
 * limit by walking through the 2^72 addresses it owns. IPv4-mapped IPv6 (`::ffff:203.0.113.9`,
 * what a dual-stack socket reports) counts as the IPv4 address, not as one shared /56. Anything
 * that is not an IP address maps to the single identifier `ip:invalid`, so garbage in a
 * spoofed header shares one bucket instead of creating a fresh one per request.
 *
 * The IPv6 expansion is hand-written (40 lines): `node:net` validates (`isIP`) but has no
 * expansion or prefix helper, and `ipaddr.js` is not a dependency of satchel.
 *
 * @example
 * ```ts
 * ipIdentifier('203.0.113.9')                  // 'ip:203.0.113.9'
 * ipIdentifier('2001:db8:abcd:12ff::1')        // 'ip:2001:db8:abcd:1200::/56'
 * ipIdentifier('::ffff:203.0.113.9')           // 'ip:203.0.113.9'
 * ```
 */
export function ipIdentifier(address: string | null | undefined): string {
  if (typeof address !== 'string') return 'ip:invalid'
  let text = address.trim()
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const zone = text.indexOf('%')
  if (zone !== -1) text = text.slice(0, zone)
  const version = isIP(text)
  if (version === 4) return `ip:${text}`
  if (version !== 6) return 'ip:invalid'
  const groups = expandIPv6(text)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!]
    return `ip:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  }
  const prefix = [groups[0]!, groups[1]!, groups[2]!, groups[3]! & 0xff00]
  return `ip:${prefix.map((g) => g.toString(16)).join(':')}::/56`
}

/** Eight 16-bit groups of a valid IPv6 address (validated by `isIP` first). */
function expandIPv6(text: string): number[] {
  const parse = (part: string): number[] => {
    if (part === '') return []
    const out: number[] = []
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number]
        out.push((a << 8) | b, (c << 8) | d)
      } else {
        out.push(Number.parseInt(piece, 16))
      }
    }
    return out
  }
  const gap = text.indexOf('::')
  if (gap === -1) return parse(text)
  const head = parse(text.slice(0, gap))
  const tail = parse(text.slice(gap + 2))
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail]
}

/**
 * The identifier for an email address: trimmed and lower-cased, so `Ana@School.org ` and
 * `ana@school.org` share one limit (magic-link and login endpoints).
 * @example emailIdentifier('  Ana@School.ORG ') // 'email:ana@school.org'
 */
export function emailIdentifier(email: string): string {
  return `email:${email.trim().toLowerCase()}`
}

/**
 * The identifier for a username: trimmed and lower-cased.
 * @example usernameIdentifier(' Teacher7') // 'user:teacher7'
 */
export function usernameIdentifier(username: string): string {
  return `user:${username.trim().toLowerCase()}`
}

/**
 * The identifier for an organisation (a per-tenant quota); the id is used as is.
 * @example orgIdentifier(session.orgId) // 'org:org-7'
 */
export function orgIdentifier(orgId: string | number): string {
  return `org:${orgId}`
}

/**
 * The identifier helpers in one object.
 * @example identifiers.ip(clientIp({ remoteAddress, headers }, { trustedProxies: 1 }))
 */
export const identifiers = {
  ip: ipIdentifier,
  email: emailIdentifier,
  username: usernameIdentifier,
  org: orgIdentifier,
} as const
