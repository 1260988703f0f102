/**
 * Cache invalidation after a course builder mutation. Runs after the commit (a reader that
 * rebuilds a value in between must see the new rows) and, for every affected course, calls
 * `invalidateCourseResourceBundle` in addition to the legacy invalidation of its organisation's
 * lists (`invalidateLegacyContent`), as docs/oneroster-bundle.md requires; it also drops the course's subject
 * hub (cards carry unit counts and XP) and slug lookup, the `resource-courses` entry of every resource whose
 * placements changed and the question lists of resources whose items went away. `cache.del`
 * reaches every process's L1 through satchel's bus.
 *
 * @module
 */
import { inArray } from 'drizzle-orm'
import { parseDuration } from 'satchel'
import { invalidateCourseResourceBundle } from '../content/bundle.js'
import { contentKeys } from '../content/keys.js'
import { invalidateLegacyContent, legacyContentKeys } from '../content/legacy.js'
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
   * Not confirmed yet: Redis could not confirm the deletes (down or hung) or the affected courses
   * could not be read. The whole invalidation is retried in the background until it succeeds or
   * the content TTL has passed (by then every value it would drop has expired).
   */
  pending: boolean
}

type Deps = Pick<CampusDeps, 'content' | 'satchel' | 'logger'>

/** One invalidation worked out: the courses and organisations, and every key to drop. */
interface Plan {
  locators: CourseLocator[]
  orgIds: string[]
  /** Keys beyond the bundles and legacy lists (hubs, resource courses, question lists). */
  others: string[]
  /** Every key, for the confirmation. */
  all: string[]
}

/**
 * Drops every cache entry the mutation made stale. Never throws: the write has committed, so a
 * failure here becomes `pending: true`, an error log and a background retry.
 */
export async function invalidateAffectedCourses(
  deps: Deps,
  courseIds: Iterable<string>,
  extra: InvalidationExtra,
): Promise<InvalidationResult> {
  const ids = [...new Set(courseIds)].sort()
  let plan: Plan
  try {
    plan = await planInvalidation(deps, ids, extra)
  } catch (error) {
    deps.logger.error(
      { err: error, courseIds: ids, reason: extra.reason },
      'course builder could not read the affected courses; retrying the invalidation in the background',
    )
    retryInBackground(deps, ids, extra)
    return { courses: [], pending: true }
  }
  const done = await deleteEverywhere(deps, plan).catch(() => false)
  if (done) {
    deps.logger.info(
      {
        courseIds: ids,
        reason: extra.reason,
        orgIds: plan.orgIds,
        resourceIds: [...(extra.resourceIds ?? [])],
      },
      'course builder invalidated caches',
    )
  } else {
    deps.logger.error(
      { courseIds: ids, reason: extra.reason, keys: plan.all.length },
      'course builder could not reach Redis to invalidate; retrying in the background',
    )
    retryInBackground(deps, ids, extra)
  }
  return { courses: plan.locators, pending: !done }
}

/** Reads the affected courses (organisation, subject) and builds every key to drop. */
async function planInvalidation(
  deps: Deps,
  ids: readonly string[],
  extra: InvalidationExtra,
): Promise<Plan> {
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
          .where(inArray(courses.sourcedId, [...ids]))
  const keys = contentKeys(deps.satchel)
  const locators = rows.map((r) => ({ courseId: r.courseId, orgId: r.orgId }))
  const orgIds = [...new Set(rows.map((r) => r.orgId))]
  const subjects = new Set(rows.map((r) => r.metadata.subjectSlug))
  const resourceIds = [...new Set(extra.resourceIds ?? [])]
  const itemIds = [...new Set(extra.assessmentResourceIds ?? [])]
  // One key at a time: a part satchel refuses (an imported course with an empty subject slug)
  // costs that key only, not the whole invalidation.
  const others: string[] = []
  const add = (build: () => string, what: object): void => {
    try {
      others.push(build())
    } catch (error) {
      deps.logger.warn({ err: error, ...what }, 'course builder skipped an unkeyable cache entry')
    }
  }
  for (const subject of subjects) {
    if (typeof subject === 'string') add(() => keys.subjectHub(subject), { subjectSlug: subject })
  }
  // The slug lookup too: a course an import just added may have been looked up (and briefly
  // cached as "not found") under its slug before it existed.
  for (const { metadata } of rows) {
    const { subjectSlug, slug } = metadata
    if (typeof subjectSlug === 'string' && typeof slug === 'string') {
      add(() => keys.courseLocator(subjectSlug, slug), { subjectSlug, courseSlug: slug })
    }
  }
  for (const id of resourceIds) add(() => keys.resourceCourses(id), { resourceId: id })
  for (const orgId of orgIds) {
    for (const id of itemIds) add(() => keys.assessmentItems(orgId, id), { orgId, resourceId: id })
  }
  const all = new Set([
    ...locators.map((l) => keys.courseBundle(l.orgId, l.courseId)),
    ...orgIds.flatMap((orgId) => legacyContentKeys(deps.satchel, orgId)),
    ...others,
  ])
  return { locators, orgIds, others, all: [...all] }
}

/**
 * Deletes the plan's keys from this process's L1, from Redis and (through the bus) from every
 * other process's L1. True only when Redis confirmed the deletes: `cache.del` fails open, so the
 * confirmation is a separate bounded UNLINK per key (one per key, so Cluster never sees a
 * cross-slot command).
 */
async function deleteEverywhere(deps: Deps, plan: Plan): Promise<boolean> {
  const ctx = deps.content
  await Promise.all([
    ...plan.locators.map((locator) => invalidateCourseResourceBundle(ctx, locator)),
    ...plan.orgIds.map((orgId) => invalidateLegacyContent(ctx, orgId)),
    plan.others.length > 0 ? deps.satchel.cache.del(...plan.others) : undefined,
  ])
  if (!deps.satchel.redis.enabled) return true
  try {
    await Promise.all(
      plan.all.map((key) => deps.satchel.redis.exec('campus.invalidate', (r) => r.unlink(key))),
    )
    return true
  } catch {
    return false
  }
}

/** First retry after 1 s, doubling to at most 30 s between attempts. */
const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 30_000

/**
 * Retries the whole invalidation (reading the courses again, then deleting) until it succeeds.
 * Without it, a mutation made while Redis is down would leave the old bundle in Redis (and in
 * other processes' L1) until its TTL. It stops once the content TTL has passed, since every value
 * it would drop has gone stale by then. The retries live in this process only: if it exits
 * first, the TTL bounds the staleness.
 */
function retryInBackground(
  deps: Deps,
  courseIds: readonly string[],
  extra: InvalidationExtra,
): void {
  const deadline = Date.now() + parseDuration(deps.content.cache.ttl, 'ttl')
  let attempts = 0
  let delay = RETRY_FIRST_MS
  const next = (): void => {
    if (Date.now() + delay > deadline) {
      deps.logger.error(
        { courseIds, reason: extra.reason, attempts },
        'gave up invalidating caches; they expire with their TTL',
      )
      return
    }
    setTimeout(async () => {
      attempts++
      if ((await deps.satchel.health()).status === 'down') return // closed: nothing to fix
      const done = await planInvalidation(deps, courseIds, extra)
        .then((plan) => deleteEverywhere(deps, plan))
        .catch(() => false)
      if (done) {
        deps.logger.info(
          { courseIds, reason: extra.reason, attempts },
          'course builder invalidation retried',
        )
      } else {
        delay = Math.min(delay * 2, RETRY_MAX_MS)
        next()
      }
    }, delay).unref()
  }
  next()
}
