/**
 * Cache invalidation after a course builder mutation. Runs after the commit (a reader that
 * rebuilds a value in between must see the new rows), and drops, for every affected course:
 * its bundle, its organisation's legacy lists (both families stay fresh, as the seed requires:
 * the bundle invalidation is in addition to the legacy one), its subject hub (cards carry unit
 * counts and XP); plus the `resource-courses` entry of every resource whose placements changed
 * and the question lists of resources whose items went away. `cache.del` reaches every
 * process's L1 through satchel's bus.
 *
 * @module
 */
import { inArray } from 'drizzle-orm'
import type { Satchel } from 'satchel'
import { contentKeys } from '../content/keys.js'
import { legacyContentKeys } from '../content/legacy.js'
import type { CourseLocator } from '../content/types.js'
import { courses } from '../db/schema.js'
import type { CampusDeps } from '../deps.js'

/** What else a mutation touched, beyond the courses. */
export interface InvalidationExtra {
  /** Why, for the log line (e.g. `component.update`). */
  reason: string
  /** Resources whose placements changed: their `oneroster-resource-courses` entry goes. */
  resourceIds?: Iterable<string>
  /** Resources whose questions changed or went away, in every affected organisation. */
  assessmentResourceIds?: Iterable<string>
}

/** What {@link invalidateAffectedCourses} did. */
export interface InvalidationResult {
  courses: CourseLocator[]
  /**
   * Redis could not confirm the deletes (down or hung): this process's L1 is clean, and the
   * deletes are retried in the background until Redis answers.
   */
  pending: boolean
}

/**
 * Drops every cache entry the mutation made stale (after the commit, so a reader that rebuilds
 * a value in between sees the new rows).
 */
export async function invalidateAffectedCourses(
  deps: Pick<CampusDeps, 'content' | 'satchel' | 'logger'>,
  courseIds: Iterable<string>,
  extra: InvalidationExtra,
): Promise<InvalidationResult> {
  const ids = [...new Set(courseIds)].sort()
  const rows =
    ids.length === 0
      ? []
      : await deps.content.db
          .select({
            courseId: courses.sourcedId,
            orgId: courses.orgSourcedId,
            metadata: courses.metadata,
          })
          .from(courses)
          .where(inArray(courses.sourcedId, ids))
  const keys = contentKeys(deps.satchel)
  const orgs = [...new Set(rows.map((r) => r.orgId))]
  const subjects = [...new Set(rows.map((r) => r.metadata.subjectSlug))].filter(
    (s): s is string => typeof s === 'string',
  )
  const resourceIds = [...new Set(extra.resourceIds ?? [])]
  const itemIds = [...new Set(extra.assessmentResourceIds ?? [])]
  const locators = rows.map((r) => ({ courseId: r.courseId, orgId: r.orgId }))
  const doomed = [
    ...locators.map((l) => keys.courseBundle(l.orgId, l.courseId)),
    ...orgs.flatMap((orgId) => legacyContentKeys(deps.satchel, orgId)),
    ...subjects.map((subject) => keys.subjectHub(subject)),
    ...resourceIds.map((id) => keys.resourceCourses(id)),
    ...orgs.flatMap((orgId) => itemIds.map((id) => keys.assessmentItems(orgId, id))),
  ]
  const done = await deleteEverywhere(deps.satchel, doomed)
  if (done) {
    deps.logger.info(
      { courseIds: ids, reason: extra.reason, orgIds: orgs, resourceIds },
      'course builder invalidated caches',
    )
  } else {
    deps.logger.error(
      { courseIds: ids, reason: extra.reason, keys: doomed.length },
      'course builder could not reach Redis to invalidate; retrying in the background',
    )
    retryInBackground(deps, doomed, ids)
  }
  return { courses: locators, pending: !done }
}

/**
 * Deletes `keys` from this process's L1, from Redis and (through the bus) from every other
 * process's L1. True only when Redis confirmed the deletes: `cache.del` fails open, so the
 * confirmation is a separate bounded UNLINK per key (one per key, so Cluster never sees a
 * cross-slot command).
 */
async function deleteEverywhere(satchel: Satchel, keys: readonly string[]): Promise<boolean> {
  if (keys.length === 0) return true
  await satchel.cache.del(...keys)
  if (!satchel.redis.enabled) return true
  try {
    await Promise.all(
      keys.map((key) => satchel.redis.exec('campus.invalidate', (r) => r.unlink(key))),
    )
    return true
  } catch {
    return false
  }
}

/** Retry schedule while Redis is unreachable: 1 s doubling to 30 s, for about 10 minutes. */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, ...Array<number>(19).fill(30_000)]

/**
 * Keeps trying to delete `keys` until Redis answers. Without it, a mutation made while Redis is
 * down would leave the old bundle in Redis (and in other processes' L1) until its TTL. The
 * retries live in this process only: if it exits first, the TTL bounds the staleness.
 */
function retryInBackground(
  deps: Pick<CampusDeps, 'satchel' | 'logger'>,
  keys: readonly string[],
  courseIds: readonly string[],
): void {
  let attempt = 0
  const next = (): void => {
    const delay = RETRY_DELAYS_MS[attempt]
    if (delay === undefined) {
      deps.logger.error(
        { courseIds, keys: keys.length },
        'gave up invalidating caches; they expire with their TTL',
      )
      return
    }
    attempt++
    setTimeout(async () => {
      if ((await deps.satchel.health()).status === 'down') return // closed: nothing to fix
      if (await deleteEverywhere(deps.satchel, keys)) {
        deps.logger.info({ courseIds, attempts: attempt }, 'course builder invalidation retried')
      } else {
        next()
      }
    }, delay).unref()
  }
  next()
}
