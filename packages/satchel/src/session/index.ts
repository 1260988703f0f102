/**
 * Read-through session index (`satchel.sessionIndex(options)`). Postgres is the authority;
 * Redis holds short-lived copies keyed by a hash of the token.
 *
 * ## Keys
 *
 * ```
 * <prefix>:sess:{<sha256(token)>}                 the session copy (codec-encoded)
 * <prefix>:sess:{<sha256(token)>}:revoked         tombstone left by invalidate (tombstoneTtl)
 * <prefix>:sess:user:{<escaped userId>}           sorted set: token hash → copy expiry (ms)
 * <prefix>:sess:user:{<escaped userId>}:revoked   tombstone left by invalidateUser
 * ```
 *
 * The raw token never appears in a key. Every key is written with a TTL: a copy lives
 * min(expiresAt − now, capTtl); the index lives as long as its longest-lived member plus a few
 * seconds; tombstones live `tombstoneTtl`.
 *
 * ## Why copies are keyed by token, not grouped under the user
 *
 * `get(token)` knows only the token, so the copy is tagged by the token hash: a hit is one GET.
 * Tagging copies by user would put a user's copies and index in one slot (one script for
 * `invalidateUser` on Cluster) but cost a pointer lookup on every hit. Instead the index and the
 * copies live in different slots, and correctness rests on ordering plus tombstones rather than
 * on one multi-key script:
 *
 * - read-through: load from the database, then (1) add the token to the user's index unless the
 *   user tombstone exists, then (2) write the copy unless the token tombstone exists;
 * - `invalidate(token)`: one script deletes the copy and raises the token tombstone;
 * - `invalidateUser(userId)`: (a) raise the user tombstone and list the index, (b) for each
 *   member delete the copy and raise its token tombstone (one script per token slot),
 *   (c) remove the swept members (kept until then, so a failed sweep can be retried).
 *
 * A read-through racing a logout therefore cannot resurrect the session: if its index entry came
 * before (a), the member is swept in (b) and the token tombstone refuses or removes its copy; if
 * after, the user tombstone refuses it. A read-through whose load took longer than
 * `tombstoneTtl / 2` is not cached at all, so a tombstone cannot expire under it. The cost is
 * that for `tombstoneTtl` after `invalidateUser` that user's new sessions are read from the
 * database uncached.
 *
 * ## Failure policy
 *
 * Redis slow or down, or the `session_index` flag off → `get` reads the database (nothing is
 * written back). `invalidate*` runs even with the flag off (copies written before it was
 * switched off must not survive a logout) and reports `ok: false` when Redis is unreachable; the
 * copy then lives at most `capTtl`.
 *
 * @example
 * ```ts
 * const sessions = satchel.sessionIndex<Session>({
 *   load: (_token, { tokenHash }) => db.findSession(tokenHash),
 *   expiresAt: (s) => s.expiresAt,
 *   userId: (s) => s.userId,
 *   isRevoked: (s) => s.revokedAt !== null,
 *   capTtl: '15m',
 * })
 * const session = await sessions.get(token) // null → 401
 * await db.revokeSession(tokenHash); await sessions.invalidate(token) // logout
 * ```
 *
 * @module
 */
export { tokenHash } from './keys.js'
export type { SessionIndexOptions, SessionSchema } from './options.js'
export { SESSION_SCRIPTS } from './scripts.js'
export {
  createSessionIndex,
  type InvalidationResult,
  type SessionIndex,
  type SessionIndexStats,
} from './session-index.js'
