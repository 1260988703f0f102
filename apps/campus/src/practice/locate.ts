/**
 * Finds what a submission is about, from the same cached course bundle and item reads the pages
 * use, so the questions graded are exactly the questions the form showed: the resource placed
 * in the named course, its unit and lesson, and the items the seed selected (every item of an
 * exercise, in authored order; an assessment's QTI selection for the seed).
 *
 * @module
 */
import { findResourceById, getComponentResourcesByResourceId } from '../content/bundle.js'
import { usableItems } from '../content/loaders/content-loaders.js'
import { applyQtiSelectionAndOrdering, DEFAULT_ATTEMPT } from '../content/loaders/index.js'
import { bundleLookups } from '../content/lookups.js'
import { readResourceMetadata } from '../content/metadata.js'
import type { ContentSource } from '../content/source.js'
import type { AssessmentItemRecord } from '../content/types.js'
import { PRACTICE_TYPES, type PracticeType } from '../db/schema.js'
import { invalidInput } from './errors.js'

/** A located practice resource with the questions of this attempt. */
export interface PracticeTarget {
  courseId: string
  /** The organisation that owns the course. */
  courseOrgId: string
  resourceId: string
  title: string
  type: PracticeType
  /** The resource's XP (`metadata.xp`). */
  xp: number
  unitId: string | null
  lessonId: string | null
  seed: string
  /** The items of this attempt, in the order the form shows them (answer keys included). */
  questions: AssessmentItemRecord[]
}

/** What to locate. */
export interface LocateRequest {
  courseId: string
  resourceId: string
  seed?: string | undefined
  /** Organisations whose courses the learner may practise (`orgLineage`). */
  allowedOrgs: readonly string[]
}

function isPracticeType(type: string): type is PracticeType {
  return (PRACTICE_TYPES as readonly string[]).includes(type)
}

/**
 * The target of a submission, or a {@link PracticeError} (400) naming the field at fault: a
 * resource not placed in the course, a course of an organisation the learner does not belong
 * to, a resource that is not graded practice, one with no questions.
 */
export async function locatePractice(
  source: ContentSource,
  request: LocateRequest,
): Promise<PracticeTarget> {
  const { courseId, resourceId } = request
  const locator = (await source.resourceCourses(resourceId)).find((l) => l.courseId === courseId)
  if (!locator) {
    throw invalidInput([
      { field: 'resourceId', message: `is not a resource of course ${courseId}` },
    ])
  }
  if (!request.allowedOrgs.includes(locator.orgId)) {
    // Said as plainly as the other cases: the learner named both ids, nothing new is revealed.
    throw invalidInput([
      { field: 'resourceId', message: "belongs to another organisation's course" },
    ])
  }
  const bundle = await source.loadCourse(locator)
  const resource = bundle ? findResourceById(bundle, resourceId) : undefined
  if (!bundle || !resource) {
    throw invalidInput([{ field: 'resourceId', message: 'is not available' }])
  }
  const metadata = readResourceMetadata(resource.metadata)
  if (!metadata.ok || !isPracticeType(metadata.value.type)) {
    throw invalidInput([{ field: 'resourceId', message: 'is not graded practice' }])
  }
  const value = metadata.value
  const type = value.type as PracticeType
  const { componentsById } = bundleLookups(bundle)
  const placement = getComponentResourcesByResourceId(bundle, resourceId)[0]
  const component = placement ? componentsById.get(placement.courseComponentSourcedId) : undefined
  let unitId: string | null = null
  let lessonId: string | null = null
  if (component && type !== 'course-challenge') {
    if (component.parentSourcedId === null) unitId = component.sourcedId
    else {
      lessonId = component.sourcedId
      unitId = component.parentSourcedId
    }
  }
  const pool = usableItems(
    source,
    resourceId,
    await source.assessmentItems(bundle.orgId, resourceId),
  )
  const seed = type === 'exercise' ? DEFAULT_ATTEMPT : (request.seed ?? DEFAULT_ATTEMPT)
  const selection = 'selection' in value ? (value.selection ?? {}) : {}
  const questions =
    type === 'exercise'
      ? pool
      : applyQtiSelectionAndOrdering(pool, selection, `${resourceId}:${seed}`)
  if (questions.length === 0) {
    throw invalidInput([{ field: 'resourceId', message: 'has no questions' }])
  }
  return {
    courseId,
    courseOrgId: locator.orgId,
    resourceId,
    title: resource.title,
    type,
    xp: value.xp,
    unitId,
    lessonId,
    seed,
    questions,
  }
}
