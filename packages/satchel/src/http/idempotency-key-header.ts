/**
 * Reading the `Idempotency-Key` request header.
 * @module
 */
import { invalidKeyReason } from '../idempotency/index.js'

/**
 * The header's parsed value, or why it is unusable.
 * @example const parsed = parseIdempotencyKey(header); if (!parsed.ok) return badRequest(parsed.detail)
 */
export type ParsedIdempotencyKey =
  | { readonly ok: true; readonly key: string }
  | { readonly ok: false; readonly detail: string }

// A bare value: printable ASCII without space, quote, comma (two joined header lines) or backslash.
const BARE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/

/**
 * Parses an `Idempotency-Key` value. The draft defines it as an RFC 8941 sf-string
 * (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`, with `\"` and `\\` escapes); many clients send the
 * value unquoted, so a bare value without spaces, quotes, commas or backslashes is accepted as
 * the same key. The key itself must be 1 to 255 printable ASCII characters.
 *
 * Hand-written rather than a structured-fields library: none is installed, and only the
 * sf-string production is needed.
 *
 * @example parseIdempotencyKey('"abc-123"') // { ok: true, key: 'abc-123' }
 * @example parseIdempotencyKey('abc-123')   // { ok: true, key: 'abc-123' }
 */
export function parseIdempotencyKey(raw: string): ParsedIdempotencyKey {
  const value = raw.trim()
  let key: string
  if (value.startsWith('"')) {
    const unquoted = unquote(value)
    if (unquoted === undefined) {
      return { ok: false, detail: 'The Idempotency-Key header is not a valid quoted string' }
    }
    key = unquoted
  } else if (BARE.test(value)) {
    key = value
  } else {
    return {
      ok: false,
      detail:
        'The Idempotency-Key header must be a quoted string or a value without spaces, quotes, commas or backslashes',
    }
  }
  const reason = invalidKeyReason(key)
  return reason === undefined
    ? { ok: true, key }
    : { ok: false, detail: `Invalid Idempotency-Key: ${reason}` }
}

/** RFC 8941 §4.2.5 sf-string; undefined when malformed or followed by anything. */
function unquote(value: string): string | undefined {
  let out = ''
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x5c) {
      const next = value[i + 1]
      if (next !== '"' && next !== '\\') return undefined
      out += next
      i++
    } else if (c === 0x22) {
      return i === value.length - 1 ? out : undefined
    } else if (c < 0x20 || c > 0x7e) {
      return undefined
    } else {
      out += value[i]
    }
  }
  return undefined
}
