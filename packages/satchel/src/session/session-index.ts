import type { RedisClient } from '../core/client-factory.js'
import type { SatchelContext } from '../core/context.js'
import { SatchelError } from '../core/errors.js'
import { evalScript } from '../core/scripts.js'
import { type SessionKeys, sessionKeys, tokenHash, userKeys } from './keys.js'
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionIndexOptions,
} from './options.js'
import {
  ADD_TO_INDEX,
  BEGIN_REVOKE_USER,
  END_REVOKE_USER,
  INVALIDATE_TOKEN,
  WRITE_COPY,
} from './scripts.js'

/**
 * The outcome of an invalidation. `ok: false` means Redis could not be reached: a copy may live
 * on for at most `capTtl`. Retry, or keep `capTtl` as short as that exposure allows.
 * @example
 * ```ts
 * const r = await sessions.invalidate(token)
 * if (!r.ok) log.warn({ err: r.error }, 'session copy not invalidated; expires within capTtl')
 * ```
 */
export type InvalidationResult =
  | { ok: true /** Session copies deleted. */; deleted: number }
  | {
      ok: false
      reason: 'unavailable' /** Copies deleted before the failure. */
      deleted: number
      error: SatchelError
    }

/**
 * Counters of one session index since start.
 * @example metrics.sessionHitRate.set(s.hits / Math.max(1, s.hits + s.misses + s.fallbacks))
 */
export interface SessionIndexStats {
  /** Valid sessions served from a Redis copy. */
  hits: number
  /** Reads that went to the database while Redis was up (no copy, or a malformed one). */
  misses: number
  /** Copies that failed to decode or failed `schema` (counted in `misses` too). */
  malformed: number
  /** Reads that went to the database because Redis was unavailable. */
  fallbacks: number
  /** Copies written after a database read. */
  writes: number
  /** Read-through writes refused by an invalidation tombstone (a logout won the race). */
  refused: number
}

/**
 * A read-through index of sessions: Postgres is the authority, Redis holds short-lived copies.
 * @example
 * ```ts
 * const session = await sessions.get(token)
 * if (!session) return new Response(null, { status: 401 })
 * ```
 */
export interface SessionIndex<S> {
  /**
   * The session for a token, or null when there is none, it has expired or it is revoked.
   * Reads the Redis copy; on a miss (or a malformed copy) loads from the database and stores a
   * copy for min(expiresAt − now, capTtl). Never throws for Redis trouble: it reads the database.
   * Loader errors propagate.
   */
  get(token: string): Promise<S | null>
  /**
   * Deletes a token's copy (logout, session deletion). Call after the database change commits;
   * a read-through already in flight cannot write the copy back.
   */
  invalidate(token: string): Promise<InvalidationResult>
  /**
   * Deletes every copy of a user's sessions (password change, "log out everywhere"). Call after
   * the database change commits. For `tombstoneTtl` afterwards the user's sessions are read
   * from the database without being cached.
   */
  invalidateUser(userId: string): Promise<InvalidationResult>
  /** The SHA-256 (base64url) of a token: what the keys and `load`'s `tokenHash` use. */
  hashToken(token: string): string
  /** Counters since start. */
  stats(): SessionIndexStats
}

// Lua's unpack() has a stack limit of a few thousand values; sweep members in chunks below it.
const MEMBER_CHUNK = 1000
// Index entries outlive their copy by this much, covering clock skew between the Cluster node
// that scores the index and the one that stores the copy.
const INDEX_SLACK_MS = 5000

/** One session index. Built by `satchel.sessionIndex(options)`. */
class RedisSessionIndex<S> implements SessionIndex<S> {
  readonly #ctx: SatchelContext
  readonly #o: ResolvedSessionOptions<S>
  readonly #prefix: string
  readonly #stats: SessionIndexStats = {
    hits: 0,
    misses: 0,
    malformed: 0,
    fallbacks: 0,
    writes: 0,
    refused: 0,
  }

  constructor(ctx: SatchelContext, options: SessionIndexOptions<S>) {
    this.#ctx = ctx
    this.#o = resolveSessionOptions(options)
    this.#prefix = ctx.keys.prefix
  }

  hashToken(token: string): string {
    return tokenHash(token)
  }

  stats(): SessionIndexStats {
    return { ...this.#stats }
  }

  async get(token: string): Promise<S | null> {
    const hash = tokenHash(token)
    if (!this.#ctx.flags.enabled('session_index')) return this.#authoritative(token, hash)
    const keys = sessionKeys(this.#prefix, hash)
    // Measured from before the read: the guard against a tombstone expiring under a slow load.
    const started = performance.now()
    const read = await this.#ctx.values.get<unknown>(keys.copy)
    if (read.hit) {
      if (this.#o.valid(read.value)) {
        const session = read.value as S
        if (this.#usable(session)) {
          this.#stats.hits++
          return session
        }
        // Expired or revoked on a hit: the copy is wrong now whatever its TTL says; drop it so
        // the next read consults the database.
        this.#drop(keys)
        return null
      }
      this.#ctx.events.emit('value:malformed', {
        key: keys.copy,
        bytes: read.bytes,
        error: new TypeError('session copy failed the schema check'),
      })
      this.#stats.malformed++
    } else if (read.reason === 'malformed') {
      this.#stats.malformed++
    } else if (read.reason === 'unavailable') {
      // Redis is down or slow: the database answers, and nothing is written back (the write
      // would pay another timeout).
      this.#stats.fallbacks++
      return this.#authoritative(token, hash)
    }
    this.#stats.misses++
    const session = await this.#o.load(token, { tokenHash: hash })
    const ttlMs = session === null ? 0 : this.#ttlOf(session)
    if (session === null || ttlMs <= 0 || this.#revoked(session)) {
      if (read.hit || read.reason === 'malformed') this.#drop(keys)
      return null
    }
    if (performance.now() - started < this.#o.tombstoneMs / 2) {
      await this.#writeBack(hash, keys, session, ttlMs)
    }
    return session
  }

  async invalidate(token: string): Promise<InvalidationResult> {
    if (!this.#ctx.gateway.enabled) return { ok: true, deleted: 0 }
    // Runs whatever the flag says: copies written before the flag was switched off must not
    // outlive a logout if the flag comes back on within capTtl.
    const keys = sessionKeys(this.#prefix, tokenHash(token))
    try {
      const deleted = await this.#invalidateKeys(keys)
      return { ok: true, deleted }
    } catch (error) {
      return this.#failed('token', error, 0)
    }
  }

  async invalidateUser(userId: string): Promise<InvalidationResult> {
    if (!this.#ctx.gateway.enabled) return { ok: true, deleted: 0 }
    const user = userKeys(this.#prefix, userId)
    const tombstone = this.#o.tombstoneMs
    let deleted = 0
    try {
      // 1. The user tombstone goes up first: from here on no read-through can add an entry, so
      //    the member list below is complete. Entries added just before it are in the list.
      const members = (await this.#ctx.gateway.exec('session.revoke-user', (r) =>
        evalScript(r, BEGIN_REVOKE_USER, [user.index, user.tombstone], [tombstone]),
      )) as string[]
      // 2. Each copy lives in its own token's slot (Cluster), so they are deleted one script per
      //    token; each also leaves a token tombstone against a write still in flight.
      const counts = await Promise.all(
        members.map((hash) => this.#invalidateKeys(sessionKeys(this.#prefix, hash))),
      )
      for (const n of counts) deleted += n
      // 3. Only now are the members removed: a failure above leaves them listed for a retry.
      for (let i = 0; i < members.length || i === 0; i += MEMBER_CHUNK) {
        const chunk = members.slice(i, i + MEMBER_CHUNK)
        await this.#ctx.gateway.exec('session.revoke-user', (r) =>
          evalScript(r, END_REVOKE_USER, [user.index], chunk),
        )
      }
      return { ok: true, deleted }
    } catch (error) {
      return this.#failed('user', error, deleted)
    }
  }

  #invalidateKeys(keys: SessionKeys): Promise<number> {
    return this.#ctx.gateway.exec('session.invalidate', async (r) =>
      Number(
        await evalScript(r, INVALIDATE_TOKEN, [keys.copy, keys.tombstone], [this.#o.tombstoneMs]),
      ),
    )
  }

  #failed(scope: 'token' | 'user', error: unknown, deleted: number): InvalidationResult {
    // Only Redis trouble becomes a result; anything else is a bug and stays loud.
    if (!(error instanceof SatchelError)) throw error
    this.#ctx.events.emit('session:invalidate-failed', { scope, error })
    return { ok: false, reason: 'unavailable', deleted, error }
  }

  /** The database's answer, with the same expiry and revocation checks as a cached one. */
  async #authoritative(token: string, hash: string): Promise<S | null> {
    const session = await this.#o.load(token, { tokenHash: hash })
    if (session === null || !this.#usable(session)) return null
    return session
  }

  #usable(session: S): boolean {
    return this.#ttlOf(session) > 0 && !this.#revoked(session)
  }

  #revoked(session: S): boolean {
    return this.#o.isRevoked?.(session) === true
  }

  /** min(expiresAt − now, cap) in whole ms; ≤ 0 for an expired (or undated) session. */
  #ttlOf(session: S): number {
    const at = this.#o.expiresAt(session)
    const ms = typeof at === 'number' ? at : at instanceof Date ? at.getTime() : Number.NaN
    if (!Number.isFinite(ms)) return 0
    return Math.floor(Math.min(ms - Date.now(), this.#o.capMs))
  }

  /**
   * Stores the copy: first the index entry (refused after `invalidateUser`), then the copy
   * (refused after `invalidate`). In this order a concurrent `invalidateUser` either sees the
   * entry and tombstones the token, or has already raised the user tombstone that refuses it.
   */
  async #writeBack(hash: string, keys: SessionKeys, session: S, ttlMs: number): Promise<void> {
    const encoded = this.#ctx.codec.encodeBounded(session)
    if (!encoded.ok) {
      this.#ctx.events.emit('value:too-large', {
        key: keys.copy,
        bytes: encoded.bytes,
        limit: encoded.limit,
      })
      return
    }
    const user = userKeys(this.#prefix, this.#o.userId(session))
    const outcome = await this.#ctx.gateway.failOpen(
      'session.write',
      async (r: RedisClient) => {
        const expiresAt = Number(
          await evalScript(
            r,
            ADD_TO_INDEX,
            [user.index, user.tombstone],
            [hash, ttlMs, INDEX_SLACK_MS],
          ),
        )
        if (expiresAt === 0) return 'refused'
        const args = [encoded.buf, expiresAt]
        const wrote = await evalScript(r, WRITE_COPY, [keys.copy, keys.tombstone], args)
        return wrote === 1 ? 'written' : 'refused'
      },
      () => 'unavailable' as const,
    )
    if (outcome === 'written') this.#stats.writes++
    else if (outcome === 'refused') this.#stats.refused++
  }

  /** Best-effort delete of a copy that is wrong now; the caller does not wait for it. */
  #drop(keys: SessionKeys): void {
    this.#ctx.gateway
      .failOpen(
        'session.drop',
        (r) => r.del(keys.copy),
        () => 0,
      )
      .catch(() => {})
  }
}

/**
 * Creates a session index. Prefer `satchel.sessionIndex(options)`.
 * @throws InvalidOptionError for a missing loader or accessor, or an invalid duration.
 * @example
 * ```ts
 * const sessions = createSessionIndex(ctx, { load, expiresAt: (s) => s.expiresAt, userId: (s) => s.userId })
 * ```
 */
export function createSessionIndex<S>(
  ctx: SatchelContext,
  options: SessionIndexOptions<S>,
): SessionIndex<S> {
  return new RedisSessionIndex(ctx, options)
}
