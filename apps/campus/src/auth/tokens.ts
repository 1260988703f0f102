/**
 * Bearer tokens of sessions, magic links and invitations: 32 random bytes (base64url) handed to
 * the user once; only their SHA-256 is stored, in the database and in Redis keys alike, so a
 * leaked table or key listing cannot be replayed.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { tokenHash } from 'satchel'

/** A fresh token and the hash to store. */
export interface IssuedToken {
  /** Sent to the user (cookie, link); never stored. */
  readonly token: string
  /** SHA-256, base64url: the stored form. */
  readonly hash: string
}

/** 256 bits from the CSPRNG: unguessable, and long enough that hashing needs no salt. */
export function issueToken(): IssuedToken {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: tokenHash(token) }
}

/** The stored form of a token the user presented (the session index uses the same hash). */
export function hashToken(token: string): string {
  return tokenHash(token)
}

/** Tokens campus issued are 43 base64url characters; anything else is rejected unhashed. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/
