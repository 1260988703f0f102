/**
 * The SCORM packages an organisation attached to a course, as the course page lists them.
 * The list is the same for every viewer of one organisation, so it is cached per organisation
 * and course (`campus:o:<org>:scorm-course-packages:<courseId>`, 10 minutes); a learner's
 * status is never part of it (`status.ts` reads that per learner from PostgreSQL), so the
 * shared entry cannot carry one learner's data to another. An upload for the course or an
 * archive deletes the entry; with Redis down the list is read from PostgreSQL.
 *
 * @module
 */
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { type ScormVersion, scormPackages, scormScos } from '../../db/schema.js'
import type { ScormContext } from '../context.js'

/** How long a course's package list is cached (the bound on a missed invalidation). */
export const COURSE_PACKAGES_TTL = '10m'

/** A launchable SCO of a listed package. */
export interface CourseSco {
  id: string
  title: string
  depth: number
}

/** A package as the course page lists it (plain data: it is cached). */
export interface CoursePackage {
  id: string
  title: string
  version: ScormVersion
  scos: CourseSco[]
}

/** The cache key of an organisation's package list for a course. */
export function coursePackagesKey(ctx: ScormContext, orgId: string, courseId: string): string {
  return ctx.satchel.keys.org(orgId).key('scorm-course-packages', courseId)
}

/** Reads the list from PostgreSQL: active, not archived packages with their launchable SCOs. */
export async function queryCoursePackages(
  db: Database,
  orgId: string,
  courseId: string,
): Promise<CoursePackage[]> {
  const packages = await db
    .select({
      id: scormPackages.id,
      title: scormPackages.title,
      version: scormPackages.version,
    })
    .from(scormPackages)
    .where(
      and(
        eq(scormPackages.orgSourcedId, orgId),
        eq(scormPackages.courseSourcedId, courseId),
        eq(scormPackages.status, 'active'),
        isNull(scormPackages.archivedAt),
      ),
    )
    .orderBy(asc(scormPackages.title), asc(scormPackages.createdAt))
  if (packages.length === 0) return []
  const scos = await db
    .select({
      packageId: scormScos.packageId,
      id: scormScos.id,
      title: scormScos.title,
      depth: scormScos.depth,
    })
    .from(scormScos)
    .where(
      and(
        inArray(
          scormScos.packageId,
          packages.map((p) => p.id),
        ),
        isNotNull(scormScos.launchHref),
      ),
    )
    .orderBy(asc(scormScos.sortOrder))
  return packages.map((p) => ({
    ...p,
    scos: scos
      .filter((s) => s.packageId === p.id)
      .map(({ id, title, depth }) => ({ id, title, depth })),
  }))
}

/**
 * The organisation's packages for a course, read through the cache.
 * @example const list = await coursePackages(deps.scorm, orgId, course.courseId)
 */
export function coursePackages(
  ctx: ScormContext,
  orgId: string,
  courseId: string,
): Promise<CoursePackage[]> {
  return ctx.satchel.cache.getOrSet(
    coursePackagesKey(ctx, orgId, courseId),
    () => queryCoursePackages(ctx.db, orgId, courseId),
    { ttl: COURSE_PACKAGES_TTL },
  )
}

/** Drops a course's cached list after an upload or archive. Never fails (the TTL bounds it). */
export async function forgetCoursePackages(
  ctx: ScormContext,
  orgId: string,
  courseId: string | null,
): Promise<void> {
  if (!courseId) return
  try {
    await ctx.satchel.cache.del(coursePackagesKey(ctx, orgId, courseId))
  } catch (error) {
    ctx.logger.warn({ err: error, orgId, courseId }, 'scorm course list not dropped from cache')
  }
}
