import { createHash } from 'node:crypto'
import { boundedKeyPart } from '../core/keys.js'

/** The Redis keys one session token and one user map to. */
export interface SessionKeys {
  /** The read-through copy of the session. */
  readonly copy: string
  /** Short-lived marker written by `invalidate`: a read-through in flight must not write. */
  readonly tombstone: string
}

/** The Redis keys of one user's index. */
export interface UserKeys {
  /** Sorted set: token hash → the expiry (server ms) of that token's copy. */
  readonly index: string
  /** Short-lived marker written by `invalidateUser`: refuses new index entries for the user. */
  readonly tombstone: string
}

// A user id longer than this (after escaping) is hashed, as the key builder does for long parts,
// so a key's length stays bounded whatever the caller's ids look like.
const MAX_USER_PART = 128

/**
 * SHA-256 of the token, base64url (43 characters). The raw token is a bearer credential: it
 * must never appear in a key, where `SCAN`, `MONITOR`, slow logs and key-space notifications
 * would expose it.
 *
 * @example tokenHash('opaque-token') // 'x3Xn…' (43 characters)
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/**
 * Keys of a token: `<prefix>:sess:{<hash>}` and `<prefix>:sess:{<hash>}:revoked`. The hash is
 * the Cluster hash tag, so the copy and its tombstone share a slot (one script checks and
 * writes both) while different sessions spread over every shard.
 */
export function sessionKeys(prefix: string, hash: string): SessionKeys {
  const copy = `${prefix}:sess:{${hash}}`
  return { copy, tombstone: `${copy}:revoked` }
}

/**
 * Keys of a user: `<prefix>:sess:user:{<escaped userId>}` (+ `:revoked`). The user id is the
 * hash tag, so the index and the user's tombstone share a slot.
 */
export function userKeys(prefix: string, userId: string): UserKeys {
  const index = `${prefix}:sess:user:{${boundedKeyPart(userId, MAX_USER_PART)}}`
  return { index, tombstone: `${index}:revoked` }
}
