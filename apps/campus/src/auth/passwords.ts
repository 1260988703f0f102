/**
 * Password hashing with scrypt from `node:crypto`: a random 16-byte salt per user, the cost
 * parameters stored beside the hash (so they can be raised later without locking anyone out),
 * and a constant-time comparison. No hand-rolled crypto: only the parameters are chosen here.
 *
 * Unknown accounts are checked against a dummy hash made at start with the same parameters, so
 * "no such user" and "wrong password" take the same time as well as getting the same answer.
 *
 * @module
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/** A stored password (the `credentials` row without its user). */
export interface PasswordHash {
  readonly hash: string
  readonly salt: string
  readonly cost: number
  readonly blockSize: number
  readonly parallelization: number
  readonly keyLength: number
}

/**
 * Cost parameters: N = 2^15, r = 8, p = 1 (OWASP's scrypt minimum is N = 2^17 with r = 8 for
 * interactive logins at 64 MiB; 2^15 keeps sign-in under the 32 MiB default `maxmem` and about
 * 50 ms on one core, and the per-account rate limit bounds online guessing — docs/auth.md).
 */
export const SCRYPT_PARAMS = { cost: 2 ** 15, blockSize: 8, parallelization: 1, keyLength: 64 }

function derive(password: string, salt: Buffer, p: Omit<PasswordHash, 'hash' | 'salt'>) {
  const options: ScryptOptions = {
    N: p.cost,
    r: p.blockSize,
    p: p.parallelization,
    // 128·N·r bytes plus slack; scrypt refuses to run above maxmem.
    maxmem: 256 * p.cost * p.blockSize,
  }
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, p.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/**
 * Hashes a new password with a fresh salt.
 * @example const stored = await hashPassword('correct horse battery staple')
 */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, SCRYPT_PARAMS)
  return { hash: key.toString('base64'), salt: salt.toString('base64'), ...SCRYPT_PARAMS }
}

/**
 * True when `password` matches `stored`; compared in constant time.
 * @example if (await verifyPassword(input, row)) signIn()
 */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64')
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

let dummy: Promise<PasswordHash> | undefined

/**
 * Spends the same work as checking a real password and answers false: for unknown accounts,
 * accounts without a password and disabled accounts, so none of them answers faster.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(32).toString('base64'))
  await verifyPassword(password, await dummy)
  return false
}
