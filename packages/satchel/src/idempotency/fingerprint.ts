/**
 * Request fingerprints: what "the same payload" means when an Idempotency-Key is reused.
 * @module
 */
import { createHash } from 'node:crypto'
import { canonicalJson, parseLossless } from './canonical-json.js'

/**
 * What a fingerprint covers.
 * @example { method: 'POST', path: '/api/reports?term=2', contentType: 'application/json', body }
 */
export interface FingerprintInput {
  /** HTTP method (case-insensitive). */
  method: string
  /** Path, with the query string when it is part of the request's meaning. */
  path: string
  /** The request's `Content-Type`; decides whether the body is compared as JSON. */
  contentType?: string | null
  /** The body bytes (a string is taken as UTF-8). */
  body?: Uint8Array | string | null
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** True for `application/json` and `application/*+json` (any parameters). */
function isJson(contentType: string | null | undefined): boolean {
  return contentType != null && JSON_TYPE.test(contentType.trim())
}

function bodyBytes(body: Uint8Array | string | null | undefined): Uint8Array {
  if (body == null) return new Uint8Array(0)
  return typeof body === 'string' ? new TextEncoder().encode(body) : body
}

/**
 * SHA-256 (base64url) of method, path and body. A JSON body is parsed without losing numbers and
 * canonicalised (sorted keys, no whitespace, exact numbers: see {@link canonicalJson}), so re-serialising the same object on a retry
 * does not count as a different payload; any other body (or JSON that does not parse) is hashed
 * as raw bytes. The two kinds are domain-separated, so they never collide with each other.
 *
 * @example
 * ```ts
 * const a = requestFingerprint({ method: 'POST', path: '/r', contentType: 'application/json', body: '{"a":1,"b":2}' })
 * const b = requestFingerprint({ method: 'POST', path: '/r', contentType: 'application/json', body: '{ "b": 2, "a": 1 }' })
 * a === b // true
 * ```
 */
export function requestFingerprint(input: FingerprintInput): string {
  const hash = createHash('sha256')
  hash.update(`${input.method.toUpperCase()}\n${input.path}\n`)
  const bytes = bodyBytes(input.body)
  if (isJson(input.contentType) && bytes.length > 0) {
    const canonical = tryCanonical(bytes)
    if (canonical !== undefined) {
      hash.update('json\n').update(canonical)
      return hash.digest('base64url')
    }
  }
  hash.update('raw\n').update(bytes)
  return hash.digest('base64url')
}

function tryCanonical(bytes: Uint8Array): string | undefined {
  try {
    return canonicalJson(parseLossless(new TextDecoder('utf-8', { fatal: true }).decode(bytes)))
  } catch {
    // Not valid UTF-8, not JSON despite the header, or a key repeated with another value: the
    // raw bytes are the payload.
    return undefined
  }
}
