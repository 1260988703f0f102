/**
 * A learner's progress: per resource, how often they tried it, their best score, whether they
 * passed, the XP it gave them; and their XP in total. Cached per learner with satchel under an
 * organisation-scoped key (`campus:o:<org>:practice-progress:<user>`), read separately from the
 * course bundle so the bundle stays one shared value for every viewer.
 *
 * Grading a new attempt deletes exactly this learner's key (Redis and every process's L1 via
 * the bus); the course bundle and other learners' progress are untouched. When Redis cannot
 * take the delete, the short TTL bounds how long another process may show the old value; this
 * process's own L1 is already clean.
 *
 * @module
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import { practiceAttempts } from '../db/schema.js'

/** A learner's record on one resource. */
export interface ResourceProgress {
  attempts: number
  /** Best score in percent. */
  bestPercent: number
  /** Passed at least once. */
  passed: boolean
  /** XP the resource has given this learner so far. */
  xp: number
  /** Last submission, ms since epoch. */
  lastSubmittedAt: number
}

/** A learner's progress in one organisation (plain data: it is cached). */
export interface LearnerProgress {
  orgId: string
  userId: string
  totalXp: number
  attempts: number
  /** By resource id. */
  resources: Record<string, ResourceProgress>
}

/** How long cached progress is fresh: the bound on a missed invalidation (Redis down). */
export const PROGRESS_TTL = '1m'

/** The progress key of one learner. */
export function progressKey(satchel: Satchel, orgId: string, userId: string): string {
  return satchel.keys.org(orgId).key('practice-progress', userId)
}

/** Reads a learner's progress from the database (grouped by resource). */
export async function queryLearnerProgress(
  db: Database,
  orgId: string,
  userId: string,
): Promise<LearnerProgress> {
  const rows = await db
    .select({
      resourceId: practiceAttempts.resourceSourcedId,
      attempts: sql<number>`count(*)::int`,
      bestPercent: sql<string>`max(${practiceAttempts.scorePercent})`,
      passed: sql<boolean>`bool_or(${practiceAttempts.passed})`,
      xp: sql<number>`coalesce(sum(${practiceAttempts.xpAwarded}), 0)::int`,
      lastSubmittedAt: sql<string>`max(${practiceAttempts.submittedAt})`,
    })
    .from(practiceAttempts)
    .where(
      and(eq(practiceAttempts.orgSourcedId, orgId), eq(practiceAttempts.userSourcedId, userId)),
    )
    .groupBy(practiceAttempts.resourceSourcedId)
  const resources: Record<string, ResourceProgress> = {}
  let totalXp = 0
  let attempts = 0
  for (const row of rows) {
    const entry: ResourceProgress = {
      attempts: Number(row.attempts),
      bestPercent: Number(row.bestPercent),
      passed: row.passed === true,
      xp: Number(row.xp),
      lastSubmittedAt: new Date(row.lastSubmittedAt).getTime(),
    }
    resources[row.resourceId] = entry
    totalXp += entry.xp
    attempts += entry.attempts
  }
  return { orgId, userId, totalXp, attempts, resources }
}

/** What the progress cache needs. */
export interface ProgressDeps {
  db: Database
  satchel: Satchel
}

/** A learner's progress, from cache or the database (which answers when Redis does not). */
export function getLearnerProgress(
  deps: ProgressDeps,
  orgId: string,
  userId: string,
): Promise<LearnerProgress> {
  return deps.satchel.cache.getOrSet(
    progressKey(deps.satchel, orgId, userId),
    () => queryLearnerProgress(deps.db, orgId, userId),
    { ttl: PROGRESS_TTL },
  )
}

/** Drops one learner's cached progress (see the module comment). Never throws. */
export async function invalidateLearnerProgress(
  deps: ProgressDeps & { logger: { warn(fields: object, message: string): void } },
  orgId: string,
  userId: string,
): Promise<void> {
  try {
    await deps.satchel.cache.del(progressKey(deps.satchel, orgId, userId))
  } catch (error) {
    deps.logger.warn({ err: error, orgId, userId }, 'learner progress not invalidated')
  }
}
