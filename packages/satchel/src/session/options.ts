import { type Duration, parseDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'

/**
 * A payload check for copies read back from Redis: a zod schema (anything with `safeParse`), or
 * a function that returns true for a well-formed session.
 * @example const schema: SessionSchema<Session> = z.object({ id: z.string(), expiresAt: z.date() })
 */
export type SessionSchema<S> =
  | { safeParse(value: unknown): { success: boolean } }
  | ((value: unknown) => value is S)
  | ((value: unknown) => boolean)

/**
 * Options of {@link createSessionIndex} (`satchel.sessionIndex(options)`).
 * @example
 * ```ts
 * const sessions = satchel.sessionIndex<Session>({
 *   load: (token) => db.sessionByTokenHash(sha256(token)),
 *   expiresAt: (s) => s.expiresAt,
 *   userId: (s) => s.userId,
 *   isRevoked: (s) => s.revokedAt !== null,
 *   capTtl: '15m',
 * })
 * ```
 */
export interface SessionIndexOptions<S> {
  /**
   * The authority: reads the session from the database. Resolve `null` when there is no such
   * session. `tokenHash` is satchel's SHA-256 (base64url) of the token, for databases that
   * store that rather than the token.
   */
  load: (token: string, info: { tokenHash: string }) => Promise<S | null> | S | null
  /** When the session ends (a Date or epoch milliseconds). */
  expiresAt: (session: S) => Date | number
  /** Whose session it is: the key of the per-user index `invalidateUser` sweeps. */
  userId: (session: S) => string
  /** True for a session the database marks revoked; such a session is never cached. */
  isRevoked?: (session: S) => boolean
  /**
   * Longest time a copy lives in Redis, whatever the session's own expiry: it bounds how long a
   * copy can outlive an invalidation that could not reach Redis.
   * @default '15m'
   */
  capTtl?: Duration
  /**
   * How long an invalidation's tombstone refuses read-through writes for the token (or, after
   * `invalidateUser`, for every token of the user). A read-through whose database load took
   * longer than half of this is not cached, so no tombstone can expire under it.
   * @default '10s'
   */
  tombstoneTtl?: Duration
  /** Checks copies read back from Redis; a failing copy is treated as malformed (→ database). */
  schema?: SessionSchema<S>
}

/** {@link SessionIndexOptions} after validation. */
export interface ResolvedSessionOptions<S> {
  load: SessionIndexOptions<S>['load']
  expiresAt: (session: S) => Date | number
  userId: (session: S) => string
  isRevoked: ((session: S) => boolean) | undefined
  capMs: number
  tombstoneMs: number
  valid: (value: unknown) => boolean
}

function requireFunction(value: unknown, field: string): void {
  if (typeof value !== 'function') {
    throw new InvalidOptionError(field, `expected a function, got ${typeof value}`)
  }
}

/**
 * Validates the options once, at construction.
 * @throws InvalidOptionError naming the field.
 */
export function resolveSessionOptions<S>(
  options: SessionIndexOptions<S>,
): ResolvedSessionOptions<S> {
  requireFunction(options.load, 'sessionIndex.load')
  requireFunction(options.expiresAt, 'sessionIndex.expiresAt')
  requireFunction(options.userId, 'sessionIndex.userId')
  if (options.isRevoked !== undefined) requireFunction(options.isRevoked, 'sessionIndex.isRevoked')
  const capMs = parseDuration(options.capTtl ?? '15m', 'sessionIndex.capTtl')
  if (capMs < 1) throw new InvalidOptionError('sessionIndex.capTtl', 'must be at least 1 ms')
  const tombstoneMs = parseDuration(options.tombstoneTtl ?? '10s', 'sessionIndex.tombstoneTtl')
  if (tombstoneMs < 100) {
    throw new InvalidOptionError('sessionIndex.tombstoneTtl', 'must be at least 100 ms')
  }
  return {
    load: options.load,
    expiresAt: options.expiresAt,
    userId: options.userId,
    isRevoked: options.isRevoked,
    capMs,
    tombstoneMs,
    valid: validator(options.schema),
  }
}

function validator<S>(schema: SessionSchema<S> | undefined): (value: unknown) => boolean {
  if (schema === undefined) return () => true
  if (typeof schema === 'function') return (value) => schema(value) === true
  if (typeof schema === 'object' && schema !== null && typeof schema.safeParse === 'function') {
    return (value) => schema.safeParse(value).success
  }
  throw new InvalidOptionError(
    'sessionIndex.schema',
    'expected a zod schema (with safeParse) or a validate function',
  )
}
