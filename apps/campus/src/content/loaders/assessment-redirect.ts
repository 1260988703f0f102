/**
 * The resource redirect (`/r/:resourceId`): from a bare resource id to the page that shows it.
 * A URL names no course, so a resource placed in several courses cannot be resolved (the seed's
 * "multi-course conflict"): it answers null with a warning listing the courses, as does any
 * inconsistency between the placement and the resource's metadata.
 *
 * @module
 */

import { bundleLookups } from '../lookups.js'
import { readResourceMetadata } from '../metadata.js'
import type { NotFoundReason } from '../page-data.js'
import type { ContentSource } from '../source.js'
import type { ComponentRecord, CourseResourceBundle } from '../types.js'
import { componentSlug, outcomeOf } from './interactive-helpers.js'
import {
  courseChallengePath,
  isLessonContentType,
  isUnitAssessmentType,
  lessonContentPath,
  unitAssessmentPath,
} from './paths.js'

const MESSAGE = 'resource redirect failed'

/** Where a placement sits in its course's structure. */
type Holder =
  | { kind: 'lesson'; unit: ComponentRecord; lesson: ComponentRecord }
  | { kind: 'unit'; unit: ComponentRecord }
  | { kind: 'challenge'; holder: ComponentRecord }

/**
 * The components of a course in page order: each unit's lessons, then the unit itself (its
 * quizzes and test follow its lessons), and the challenge holder last.
 */
function holdersInOrder(bundle: CourseResourceBundle): Holder[] {
  const { units, childrenByParent, challengeHolder } = bundleLookups(bundle)
  const out: Holder[] = []
  for (const unit of units) {
    for (const lesson of childrenByParent.get(unit.sourcedId) ?? []) {
      out.push({ kind: 'lesson', unit, lesson })
    }
    out.push({ kind: 'unit', unit })
  }
  if (challengeHolder) out.push({ kind: 'challenge', holder: challengeHolder })
  return out
}

function holderComponent(holder: Holder): ComponentRecord {
  return holder.kind === 'lesson'
    ? holder.lesson
    : holder.kind === 'unit'
      ? holder.unit
      : holder.holder
}

/**
 * The canonical path of a resource, or null (with one warning) when it is in no course, in
 * several courses, or its first placement does not line up with its metadata.
 */
export async function resolveResourceRedirect(
  source: ContentSource,
  resourceId: string,
  _request?: object,
): Promise<string | null> {
  const base = { family: source.family, resourceSourcedId: resourceId }
  const fail = (reason: NotFoundReason | 'ambiguous', fields: Record<string, unknown>): null => {
    const outcome = reason === 'ambiguous' ? 'bundle_missing_data' : outcomeOf(reason)
    source.ctx.logger.warn({ ...base, ...fields, outcome, reason }, MESSAGE)
    return null
  }
  const courses = await source.resourceCourses(resourceId)
  const only = courses[0]
  if (!only) return fail('resource_not_found', {})
  if (courses.length > 1) return fail('ambiguous', { courseIds: courses.map((c) => c.courseId) })
  const bundle = await source.loadCourse(only)
  if (!bundle) return fail('course_not_found', { courseId: only.courseId })
  const { placementsByComponent, resourcesById } = bundleLookups(bundle)
  const course = {
    courseId: bundle.courseId,
    bundleFetchedAt: bundle.fetchedAt,
    subjectSlug: bundle.course.metadata.subjectSlug,
    courseSlug: bundle.course.metadata.slug,
  }
  let holder: Holder | undefined
  let componentResourceId: string | undefined
  for (const candidate of holdersInOrder(bundle)) {
    const placements = placementsByComponent.get(holderComponent(candidate).sourcedId) ?? []
    const placement = placements.find((p) => p.resourceSourcedId === resourceId)
    if (placement) {
      holder = candidate
      componentResourceId = placement.sourcedId
      break
    }
  }
  const fields = { ...course, componentResourceId }
  const resource = resourcesById.get(resourceId)
  if (!holder || !resource) {
    return fail('component_resource_mismatch', { ...fields, problem: 'no placement in the course' })
  }
  const checked = readResourceMetadata(resource.metadata)
  if (!checked.ok) {
    return fail('invalid_metadata', { ...fields, field: checked.field, problem: checked.reason })
  }
  const { subjectSlug, courseSlug } = course
  if (typeof subjectSlug !== 'string' || typeof courseSlug !== 'string') {
    return fail('invalid_metadata', { ...fields, field: 'course.metadata.slug' })
  }
  const { type, slug } = checked.value
  const unitSlug = holder.kind === 'challenge' ? undefined : componentSlug(holder.unit)
  if (holder.kind === 'lesson') {
    const lessonSlug = componentSlug(holder.lesson)
    if (isLessonContentType(type) && unitSlug && lessonSlug) {
      return lessonContentPath(subjectSlug, courseSlug, unitSlug, lessonSlug, type, slug)
    }
  } else if (holder.kind === 'unit') {
    if (isUnitAssessmentType(type) && unitSlug) {
      return unitAssessmentPath(subjectSlug, courseSlug, unitSlug, type, slug)
    }
  } else if (type === 'course-challenge') {
    return courseChallengePath(subjectSlug, courseSlug, slug)
  }
  return fail('component_resource_mismatch', {
    ...fields,
    resourceType: type,
    problem: `a ${type} placed in a ${holder.kind} has no page`,
  })
}
