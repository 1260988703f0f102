/**
 * After an import commits: drop every cache entry the written rows made stale, then warm the
 * entries learners will ask for first. Courses go through the course builder's invalidation
 * (their bundles, their organisations' legacy lists, their subject hubs: admin/invalidate.ts);
 * organisations whose rows changed lose their legacy lists; users whose roles, status or enabled
 * flag changed lose their cached sessions, so the next request reads the database and sees the
 * change. Never throws: the rows are written either way, and a failed invalidation retries in
 * the background as the course builder's does.
 *
 * @module
 */
import { invalidateAffectedCourses } from '../../admin/invalidate.js'
import { announceDataChange } from '../../analytics/changes.js'
import { getCourseResourceBundle } from '../../content/bundle.js'
import { getSubjectHub } from '../../content/catalog.js'
import { getAllCourses, invalidateLegacyContent } from '../../content/legacy.js'
import type { CampusDeps } from '../../deps.js'
import type { ImportAffected } from './import.js'

/** Courses whose bundles are rebuilt right away at most; the rest build on first view. */
export const MAX_WARMED_COURSES = 200

/** What {@link afterImport} did. */
export interface AfterImportResult {
  /** True when Redis could not confirm every delete (a background retry is running). */
  pending: boolean
  /** Bundles rebuilt. */
  warmed: number
  /** Users whose cached sessions were dropped. */
  sessionsInvalidated: number
}

type Deps = Pick<CampusDeps, 'content' | 'satchel' | 'logger' | 'auth'>

/** Invalidates what an import changed and runs the warmers. */
export async function afterImport(
  deps: Deps,
  affected: ImportAffected,
): Promise<AfterImportResult> {
  const invalidation = await invalidateAffectedCourses(deps, affected.courseIds, {
    reason: 'oneroster.import',
  })
  const courseOrgs = new Set(invalidation.courses.map((c) => c.orgId))
  await Promise.all(
    affected.orgIds
      .filter((orgId) => !courseOrgs.has(orgId))
      .map((orgId) => invalidateLegacyContent(deps.content, orgId).catch(() => undefined)),
  )
  await announceDataChange(
    { satchel: deps.satchel, db: deps.content.db, logger: deps.logger },
    { kind: 'import', source: 'oneroster-csv', orgIds: affected.orgIds, userIds: affected.userIds },
  )
  let sessionsInvalidated = 0
  for (const userId of affected.userIds) {
    const result = await deps.auth.sessions.index.invalidateUser(userId)
    if (result.ok) sessionsInvalidated++
  }
  let warmed = 0
  const subjects = new Set<string>()
  try {
    for (const locator of invalidation.courses.slice(0, MAX_WARMED_COURSES)) {
      const bundle = await getCourseResourceBundle(deps.content, locator)
      if (bundle) warmed++
    }
    const rows = invalidation.courses.length > 0 ? await getAllCourses(deps.content) : []
    for (const course of rows) {
      const slug = course.metadata.subjectSlug
      if (typeof slug === 'string' && affected.courseIds.includes(course.sourcedId))
        subjects.add(slug)
    }
    for (const subject of subjects) await getSubjectHub(deps.content, subject)
  } catch (error) {
    // A warmer failing costs a slower first view, nothing more.
    deps.logger.warn({ err: error }, 'warming after a OneRoster import failed')
  }
  deps.logger.info(
    {
      courseIds: affected.courseIds.length,
      orgIds: affected.orgIds,
      warmed,
      sessionsInvalidated,
      pending: invalidation.pending,
    },
    'OneRoster import: caches invalidated and warmed',
  )
  return { pending: invalidation.pending, warmed, sessionsInvalidated }
}
