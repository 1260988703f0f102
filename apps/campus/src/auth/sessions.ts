/**
 * Signed-in sessions. PostgreSQL is the authority (the `sessions` table, token stored as its
 * SHA-256); satchel's session index serves lookups from short-lived Redis copies and falls back
 * to the database when Redis is slow, down, or the `session_index` flag is off.
 *
 * Revocation (logout, logout everywhere, an account disabled) writes the database first and then
 * invalidates the copies, so the next request in any campus instance sees it: a copy is deleted
 * from the shared Redis, and an instance that cannot reach Redis reads the database anyway. Only
 * when the invalidation itself cannot reach Redis does a copy survive, for at most the index's
 * `capTtl` (docs/auth.md).
 *
 * @module
 */
import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import type { Satchel, SessionIndex } from 'satchel'
import type { Database } from '../db/client.js'
import { orgs, sessions, users } from '../db/schema.js'
import type { CampusLogger } from '../logger.js'
import { type CampusRole, isCampusRole } from './principal.js'
import { hashToken, issueToken, TOKEN_PATTERN } from './tokens.js'

/** What a session lookup returns (and what the index caches): plain JSON, no Dates. */
export interface SessionRecord {
  readonly id: string
  readonly userId: string
  readonly orgId: string
  readonly role: CampusRole
  readonly email: string
  readonly name: string
  /** Administrator of a top-level org (no parent): acts campus-wide. */
  readonly operator: boolean
  /** Epoch ms. */
  readonly expiresAt: number
  readonly revoked: boolean
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  db: Database
  satchel: Satchel
  logger: CampusLogger
  /** Session lifetime in ms. */
  ttlMs: number
  /** Longest life of a Redis copy in ms (bounds a copy that an invalidation could not reach). */
  indexTtlMs: number
}

/** A new session's cookie value and record. */
export interface CreatedSession {
  readonly token: string
  readonly record: SessionRecord
}

/** Sessions: create, look up (through the index), revoke, clean up. */
export interface SessionStore {
  readonly index: SessionIndex<SessionRecord>
  readonly ttlMs: number
  /**
   * Inserts a session and returns its token (for the cookie). Pass the transaction as `tx` when
   * the session is one step of a larger change (a link redeemed, onboarding), so a failure
   * leaves neither half.
   */
  create(
    input: {
      userId: string
      orgId: string
      role: CampusRole
      userAgent?: string | undefined
      ip?: string | undefined
    },
    tx?: Database,
  ): Promise<CreatedSession>
  /** The live session of a token, or null (unknown, expired, revoked, account disabled). */
  lookup(token: string): Promise<SessionRecord | null>
  /** The database only, bypassing the index (benchmarks compare the two). */
  lookupFromDatabase(token: string): Promise<SessionRecord | null>
  /** Revokes one session (logout). */
  revoke(token: string): Promise<void>
  /** Revokes every session of a user (logout everywhere, account disabled, password changed). */
  revokeUser(userId: string): Promise<number>
  /** Deletes sessions that expired or were revoked more than `graceMs` ago; returns the count. */
  deleteExpired(graceMs?: number): Promise<number>
}

const ONE_DAY_MS = 86_400_000

/** Builds the session store and its satchel session index. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { db, logger } = options

  async function load(hash: string, executor: Database = db): Promise<SessionRecord | null> {
    const rows = await executor
      .select({
        id: sessions.id,
        userId: sessions.userSourcedId,
        orgId: sessions.orgSourcedId,
        role: sessions.role,
        expiresAt: sessions.expiresAt,
        revokedAt: sessions.revokedAt,
        email: users.email,
        givenName: users.givenName,
        familyName: users.familyName,
        preferredFirstName: users.preferredFirstName,
        orgParent: orgs.parentSourcedId,
      })
      .from(sessions)
      .innerJoin(users, eq(users.sourcedId, sessions.userSourcedId))
      .innerJoin(orgs, eq(orgs.sourcedId, sessions.orgSourcedId))
      // A disabled or deleted account has no live session, whatever the session row says.
      .where(
        and(
          eq(sessions.tokenHash, hash),
          isNull(users.disabledAt),
          eq(users.status, 'active'),
          eq(users.enabledUser, true),
        ),
      )
      .limit(1)
    const row = rows[0]
    if (!row || !isCampusRole(row.role)) return null
    return {
      id: row.id,
      userId: row.userId,
      orgId: row.orgId,
      role: row.role,
      email: row.email ?? '',
      name: `${row.preferredFirstName ?? row.givenName} ${row.familyName}`,
      operator: row.role === 'administrator' && row.orgParent === null,
      expiresAt: row.expiresAt.getTime(),
      revoked: row.revokedAt !== null,
    }
  }

  const index = options.satchel.sessionIndex<SessionRecord>({
    load: (_token, info) => load(info.tokenHash),
    expiresAt: (s) => s.expiresAt,
    userId: (s) => s.userId,
    isRevoked: (s) => s.revoked,
    capTtl: options.indexTtlMs,
    schema: isSessionRecord,
  })

  return {
    index,
    ttlMs: options.ttlMs,
    async create(input, tx = db) {
      const { token, hash } = issueToken()
      const expiresAt = new Date(Date.now() + options.ttlMs)
      const [row] = await tx
        .insert(sessions)
        .values({
          tokenHash: hash,
          userSourcedId: input.userId,
          orgSourcedId: input.orgId,
          role: input.role,
          expiresAt,
          userAgent: input.userAgent?.slice(0, 512) ?? null,
          ip: input.ip ?? null,
        })
        .returning({ id: sessions.id })
      // Read back through the same query lookups use, so the record has the joined fields.
      const record = row ? await load(hash, tx) : null
      if (!record) throw new Error('session row vanished right after insert')
      return { token, record }
    },
    async lookup(token) {
      if (!TOKEN_PATTERN.test(token)) return null
      return index.get(token)
    },
    async lookupFromDatabase(token) {
      if (!TOKEN_PATTERN.test(token)) return null
      const record = await load(hashToken(token))
      return record && !record.revoked && record.expiresAt > Date.now() ? record : null
    },
    async revoke(token) {
      if (!TOKEN_PATTERN.test(token)) return
      await db
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
      const result = await index.invalidate(token)
      if (!result.ok) {
        logger.warn({ err: result.error }, 'session copy not invalidated; it expires within capTtl')
      }
    },
    async revokeUser(userId) {
      const revoked = await db
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.userSourcedId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id })
      const result = await index.invalidateUser(userId)
      if (!result.ok) {
        logger.warn(
          { err: result.error, userId },
          'session copies not invalidated; they expire within capTtl',
        )
      }
      return revoked.length
    },
    async deleteExpired(graceMs = ONE_DAY_MS) {
      const cutoff = new Date(Date.now() - graceMs)
      const deleted = await db
        .delete(sessions)
        .where(
          or(
            lt(sessions.expiresAt, sql`now()`),
            and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, cutoff)),
          ),
        )
        .returning({ id: sessions.id })
      return deleted.length
    },
  }
}

/** Checks a copy read back from Redis: anything else is treated as malformed (→ database). */
function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.id === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.orgId === 'string' &&
    typeof v.role === 'string' &&
    isCampusRole(v.role) &&
    typeof v.email === 'string' &&
    typeof v.name === 'string' &&
    typeof v.operator === 'boolean' &&
    typeof v.expiresAt === 'number' &&
    typeof v.revoked === 'boolean'
  )
}

/**
 * Revokes every session of `userId` in the database and drops their index copies, so the next
 * request of that user in any campus instance is signed out. Call it when an account is
 * disabled, a password changes, or the user logs out everywhere. Returns the sessions revoked.
 *
 * @example await revokeUserSessions(deps, 'usr-00042')
 */
export function revokeUserSessions(
  deps: { auth: { sessions: SessionStore } },
  userId: string,
): Promise<number> {
  return deps.auth.sessions.revokeUser(userId)
}
