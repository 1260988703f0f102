/**
 * Small cached reads both loader families share or the bundle family adds: slug → course,
 * a subject hub's cards, a resource's courses, an assessment's items.
 *
 * @module
 */
import type { FactoryContext } from 'satchel'
import { getCourseResourceBundle } from './bundle.js'
import { NOT_FOUND_CACHE } from './cache-policy.js'
import type { ContentContext } from './context.js'
import { contentKeys } from './keys.js'
import { bundleLookups } from './lookups.js'
import {
  queryAssessmentItems,
  queryCourseLocator,
  queryResourceCourses,
  querySubjectCourses,
} from './queries.js'
import type {
  AssessmentItemRecord,
  CourseLocator,
  CourseRecord,
  CourseResourceBundle,
  HubCourse,
} from './types.js'
import { calculateCourseXP } from './xp.js'

/**
 * Stores a "not found" answer briefly ({@link NOT_FOUND_CACHE}) instead of for the content TTL:
 * every URL's segments reach these lookups, so a made-up one must cost one query, not one per
 * request, and must not stay in Redis for long.
 */
function briefly<T>(cache: FactoryContext<T>, notFound: boolean): void {
  if (notFound) cache.setTtl(NOT_FOUND_CACHE.ttl, { grace: NOT_FOUND_CACHE.grace })
}

/** Resolves `/:subject/:course` to a course; null when none matches (cached briefly). */
export function locateCourse(
  ctx: ContentContext,
  subjectSlug: string,
  courseSlug: string,
): Promise<CourseLocator | null> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).courseLocator(subjectSlug, courseSlug),
    async (cache) => {
      const found = await queryCourseLocator(ctx.db, subjectSlug, courseSlug)
      briefly(cache, found === null)
      return found
    },
    ctx.cache,
  )
}

/** A hub card from a course and its bundle (shared so both families compute it alike). */
export function hubCourse(course: CourseRecord, bundle: CourseResourceBundle): HubCourse {
  return {
    courseId: course.sourcedId,
    title: course.title,
    slug: String(course.metadata.slug ?? ''),
    courseCode: course.courseCode,
    grades: course.grades,
    description: String(course.metadata.description ?? ''),
    subjectTitle: course.subjects[0] ?? '',
    unitCount: bundleLookups(bundle).units.length,
    totalXp: calculateCourseXP(bundle),
  }
}

/**
 * Hub order: by title, then id. Compared in JavaScript, not by SQL `ORDER BY`, whose order
 * depends on the server's collation (PGlite and a server may differ).
 */
export function compareHubCourses(a: HubCourse, b: HubCourse): number {
  if (a.title !== b.title) return a.title < b.title ? -1 : 1
  return a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0
}

/**
 * A subject hub's course cards, cached per subject. Built from the courses' bundles (the
 * "subject course loader used bundle" of the seed), so a hub miss warms the bundles too; a hub
 * hit reads one small value.
 */
export function getSubjectHub(ctx: ContentContext, subjectSlug: string): Promise<HubCourse[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).subjectHub(subjectSlug),
    async (cache) => {
      const courses = await querySubjectCourses(ctx.db, subjectSlug)
      const cards: HubCourse[] = []
      for (const course of courses) {
        const bundle = await getCourseResourceBundle(ctx, {
          courseId: course.sourcedId,
          orgId: course.orgSourcedId,
        })
        if (bundle) cards.push(hubCourse(course, bundle))
      }
      cards.sort(compareHubCourses)
      briefly(cache, cards.length === 0)
      ctx.logger.info(
        { subjectSlug, bundlesFetched: courses.length },
        'subject course loader used bundle',
      )
      return cards
    },
    // An empty hub (any URL's first segment reaches here) is cached only briefly.
    ctx.cache,
  )
}

/** The courses a resource is placed in (the resource redirect's question). */
export function getResourceCourses(
  ctx: ContentContext,
  resourceId: string,
): Promise<CourseLocator[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).resourceCourses(resourceId),
    // Sorted here, not by SQL, whose text order follows the server's collation; the legacy
    // family sorts the same way, so both answer in one order on any server.
    async (cache) => {
      const found = (await queryResourceCourses(ctx.db, resourceId)).sort((a, b) =>
        a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0,
      )
      // Unknown ids are cached only briefly (see the hub above).
      briefly(cache, found.length === 0)
      return found
    },
    ctx.cache,
  )
}

/** A resource's questions, cached under the organisation of the course being viewed. */
export function getAssessmentItems(
  ctx: ContentContext,
  orgId: string,
  resourceId: string,
): Promise<AssessmentItemRecord[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).assessmentItems(orgId, resourceId),
    () => queryAssessmentItems(ctx.db, resourceId),
    ctx.cache,
  )
}
