/**
 * Rate-limit keys.
 *
 * ```
 * <prefix>:rl:<name>:<algorithm tag>:{<identifier>}
 * ```
 *
 * - A family of its own (`rl`), beside the key builder's `o` (organisation) and `g` (global)
 *   scopes, so `cache.clear()`-style patterns over `o:`/`g:` never touch limiter state.
 * - Each part is escaped with `escapeKeyPart`: an identifier cannot add a separator, a brace or
 *   a glob character, so the key of `a` is never a prefix-pattern of `a:b` and `reset` deletes
 *   exact keys only (no SCAN). Identifiers longer than 128 characters after escaping are
 *   replaced by `#` + 22 characters of SHA-256 (`#` is escaped in literal identifiers, so the
 *   two forms never collide).
 * - The algorithm tag (`fw`, `sw`, `sl`, `tb`) keeps a deploy that switches a limiter's
 *   algorithm from reading the previous algorithm's key (a hash read as a sorted set would fail
 *   with WRONGTYPE; two hash layouts would be misread).
 * - The hash tag is the identifier: every algorithm uses one key per identifier today, and all
 *   of one identifier's limiters share a Cluster slot, so a future script checking several
 *   policies for one caller at once stays single-slot. Different identifiers spread over shards.
 *
 * @module
 */
import { InvalidKeyError } from '../core/errors.js'
import { boundedKeyPart, escapeKeyPart } from '../core/keys.js'
import type { RateLimitAlgorithm } from './types.js'

const TAGS: Record<RateLimitAlgorithm, string> = {
  'fixed-window': 'fw',
  'sliding-window': 'sw',
  'sliding-log': 'sl',
  'token-bucket': 'tb',
}
const MAX_IDENTIFIER = 128

/**
 * Returns a function building the key of an identifier for one limiter.
 * @throws InvalidKeyError (from the returned function) for an empty or non-string identifier.
 * @example rateLimitKeyBuilder('campus', 'login', 'fixed-window')('ip:203.0.113.9')
 *   // 'campus:rl:login:fw:{ip%3A203.0.113.9}'
 */
export function rateLimitKeyBuilder(
  prefix: string,
  name: string,
  algorithm: RateLimitAlgorithm,
): (identifier: string) => string {
  const head = `${prefix}:rl:${escapeKeyPart(name)}:${TAGS[algorithm]}:{`
  return (identifier) => {
    if (typeof identifier !== 'string' || identifier === '') {
      throw new InvalidKeyError(
        `A rate-limit identifier must be a non-empty string, got ${JSON.stringify(identifier)}`,
      )
    }
    return `${head}${boundedKeyPart(identifier, MAX_IDENTIFIER)}}`
  }
}
