/**
 * Dispatch keys and launch tokens: random bearer secrets of which only the SHA-256 is stored,
 * so a database dump cannot launch a dispatch or write to a registration.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'

/** A new secret: 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}
