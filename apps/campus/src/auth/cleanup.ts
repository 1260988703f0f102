/**
 * The expiry cleanup job: deletes sessions that expired (or were revoked over a day ago) and
 * sign-in links that expired or were used over a day ago. Every campus instance may run it; the
 * deletes are idempotent, so overlapping runs only repeat work. Index copies need no cleanup:
 * each has a TTL no longer than its session.
 *
 * @module
 */
import { and, isNotNull, lt, or } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { magicLinkTokens } from '../db/schema.js'
import type { CampusLogger } from '../logger.js'
import type { SessionStore } from './sessions.js'

const DAY_MS = 86_400_000

/** Rows one cleanup pass deleted. */
export interface CleanupResult {
  readonly sessions: number
  readonly links: number
}

/** One cleanup pass. */
export async function cleanupExpired(db: Database, sessions: SessionStore): Promise<CleanupResult> {
  const removedSessions = await sessions.deleteExpired(DAY_MS)
  const cutoff = new Date(Date.now() - DAY_MS)
  const links = await db
    .delete(magicLinkTokens)
    .where(
      or(
        lt(magicLinkTokens.expiresAt, cutoff),
        and(isNotNull(magicLinkTokens.usedAt), lt(magicLinkTokens.usedAt, cutoff)),
      ),
    )
    .returning({ id: magicLinkTokens.id })
  return { sessions: removedSessions, links: links.length }
}

/**
 * Runs {@link cleanupExpired} every `intervalMs` (first run after one interval) until the
 * returned stop function is called. Failures are logged and retried next time.
 * @example const stop = startCleanupJob(db, deps.auth.sessions, logger); process.on('SIGTERM', stop)
 */
export function startCleanupJob(
  db: Database,
  sessions: SessionStore,
  logger: CampusLogger,
  intervalMs = 15 * 60_000,
): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    cleanupExpired(db, sessions)
      .then((r) => {
        if (r.sessions + r.links > 0) logger.info(r, 'expired sessions and sign-in links deleted')
      })
      .catch((err: unknown) => logger.warn({ err: err }, 'session cleanup failed; retrying later'))
      .finally(() => {
        running = false
      })
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
