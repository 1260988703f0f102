import { z } from 'zod'
import type { Duration } from '../core/duration.js'
import {
  callback,
  durationMs,
  MAX_TTL_MS,
  optionsObject,
  resolveWith,
} from '../core/option-schema.js'

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

/** Bounds of the session index options (see the options table in the package README). */
export const SESSION_LIMITS = {
  capMs: { min: 1, max: MAX_TTL_MS },
  /** A tombstone must outlive a read-through's database load; half of it bounds the load. */
  tombstoneMs: { min: 100, max: 24 * 3_600_000 },
} as const

const L = SESSION_LIMITS

type Fn = (...args: never[]) => unknown

const schema = optionsObject({
  load: callback<Fn>(),
  expiresAt: callback<Fn>(),
  userId: callback<Fn>(),
  isRevoked: callback<Fn>().optional(),
  capTtl: durationMs(L.capMs.min, L.capMs.max).default(15 * 60_000),
  tombstoneTtl: durationMs(L.tombstoneMs.min, L.tombstoneMs.max).default(10_000),
  schema: z
    .custom<SessionSchema<unknown>>(
      (value) =>
        typeof value === 'function' ||
        (typeof value === 'object' &&
          value !== null &&
          typeof (value as { safeParse?: unknown }).safeParse === 'function'),
      { error: 'expected a zod schema (with safeParse) or a validate function' },
    )
    .optional(),
})

/**
 * Validates the options once, at construction.
 * @throws InvalidOptionError naming the field (`sessionIndex.capTtl`...).
 */
export function resolveSessionOptions<S>(
  options: SessionIndexOptions<S>,
): ResolvedSessionOptions<S> {
  const o = resolveWith(schema, options, 'sessionIndex')
  return {
    load: options.load,
    expiresAt: options.expiresAt,
    userId: options.userId,
    isRevoked: options.isRevoked,
    capMs: o.capTtl,
    tombstoneMs: o.tombstoneTtl,
    valid: validator(options.schema),
  }
}

function validator<S>(schema: SessionSchema<S> | undefined): (value: unknown) => boolean {
  if (schema === undefined) return () => true
  if (typeof schema === 'function') return (value) => schema(value) === true
  return (value) => schema.safeParse(value).success
}
