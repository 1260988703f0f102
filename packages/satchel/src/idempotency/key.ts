/**
 * Idempotency-Key values and the Redis key of their record.
 * @module
 */
import { createHash } from 'node:crypto'
import type { KeyBuilder, KeyPart } from '../core/keys.js'

/**
 * Longest Idempotency-Key value accepted.
 * @example if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) reject()
 */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255

// Printable ASCII (what an RFC 8941 sf-string may hold), not blank.
const PRINTABLE = /^[\x20-\x7e]+$/

/**
 * Why an Idempotency-Key value is rejected, or undefined when it is acceptable: 1 to 255
 * printable ASCII characters, not all spaces.
 *
 * @example invalidKeyReason('8e03978e-40d5-43e8-bc93-6894a57f9324') // undefined
 */
export function invalidKeyReason(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'the key is empty'
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return `the key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`
  }
  if (!PRINTABLE.test(key)) return 'the key holds characters other than printable ASCII'
  if (key.trim() === '') return 'the key is blank'
  return undefined
}

/**
 * Who a record belongs to.
 * @example { key: 'k-1', endpoint: 'POST /api/reports', orgId: 'org-7', principal: 'user-3' }
 */
export interface RecordScope {
  /** The client's Idempotency-Key value. */
  key: string
  /** The operation, e.g. `'POST /api/admin/login-link-requests'`. */
  endpoint: string
  /** The organisation; omit only for requests that belong to none (global scope). */
  orgId?: string | number | undefined
  /** The authenticated user, API client or other principal sending the request. */
  principal: string | number
}

/**
 * The Redis key of a record: `<prefix>:idem:o:<org>:<endpoint>:<principal>:<sha256(key)>`
 * (`<prefix>:idem:g:...` without an organisation). Endpoint, organisation and principal are
 * escaped by the key builder; the client's key is hashed (SHA-256, base64url), so raw user
 * input never becomes part of a Redis key and any length fits.
 *
 * Built with the key builder (for its escaping and length limits), then moved under
 * `<prefix>:idem:` so every record can be found (and counted) with one pattern. One key per
 * record, so every script touches a single slot on Cluster.
 *
 * @example recordKey(satchel.keys, { key, endpoint: 'POST /r', orgId: 'o1', principal: 'u7' })
 *   // 'campus:idem:o:o1:POST%20%2Fr:u7:Xq3...'
 */
export function recordKey(keys: KeyBuilder, scope: RecordScope): string {
  const parts: KeyPart[] = [
    scope.endpoint,
    scope.principal,
    createHash('sha256').update(scope.key).digest('base64url'),
  ]
  const built =
    scope.orgId === undefined ? keys.global(...parts) : keys.org(scope.orgId).key(...parts)
  return `${keys.prefix}:idem:${built.slice(keys.prefix.length + 1)}`
}
