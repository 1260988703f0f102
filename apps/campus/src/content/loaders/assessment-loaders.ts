/**
 * Quiz, unit test and course challenge pages. The questions are the resource's item pool run
 * through QTI selection and ordering with the attempt seed, so the same attempt always shows
 * the same questions; answers never leave the server (`QuestionView` has no `correct`).
 *
 * @module
 */
import type { AssessmentMetadata } from '../metadata.js'
import type { AssessmentPageData, Loaded, UnitLink } from '../page-data.js'
import type { ContentSource } from '../source.js'
import { questionView, usableItems } from './content-loaders.js'
import {
  type CourseParams,
  loadCourseBySlug,
  loadUnitBySlug,
  logServed,
  unitLink,
} from './course-loaders.js'
import {
  type CourseScope,
  contentCard,
  courseHeader,
  findCourseChallengeBundle,
  findPlacedResource,
  type PlacedContent,
} from './interactive-helpers.js'
import { courseChallengePath, unitAssessmentPath } from './paths.js'
import { applyQtiSelectionAndOrdering } from './qti.js'

export { applyQtiSelectionAndOrdering } from './qti.js'

/** The attempt seed when the URL names none. */
export const DEFAULT_ATTEMPT = '1'

/** `/:subject/:course/:unit/{quiz,test}/:slug[?attempt=…]` */
export interface UnitAssessmentParams extends CourseParams {
  unit: string
  slug: string
  attempt?: string | undefined
}

/** `/:subject/:course/challenge/:slug[?attempt=…]` */
export interface CourseChallengeParams extends CourseParams {
  slug: string
  attempt?: string | undefined
}

type AssessmentType = AssessmentPageData['kind']

/**
 * The page from a located assessment. The seed mixes in the resource id so attempt `1` of two
 * quizzes draws independently.
 */
async function assessmentPage(
  scope: CourseScope,
  unit: UnitLink | null,
  placed: PlacedContent<AssessmentType>,
  path: string,
  attempt: string,
): Promise<AssessmentPageData> {
  const metadata: AssessmentMetadata = placed.metadata
  const pool = usableItems(
    scope.source,
    placed.resource.sourcedId,
    await scope.source.assessmentItems(scope.bundle.orgId, placed.resource.sourcedId),
  )
  const selected = applyQtiSelectionAndOrdering(
    pool,
    metadata.selection ?? {},
    `${placed.resource.sourcedId}:${attempt}`,
  )
  return {
    kind: metadata.type,
    course: courseHeader(scope),
    unit,
    resource: contentCard(scope.bundle, placed.placement, placed.resource, metadata, path),
    attempt,
    questions: selected.map(questionView),
    poolSize: pool.length,
  }
}

async function fetchUnitAssessment(
  source: ContentSource,
  request: object | undefined,
  params: UnitAssessmentParams,
  type: 'quiz' | 'unit-test',
  loader: string,
): Promise<Loaded<AssessmentPageData>> {
  const found = await loadUnitBySlug(source, request, params)
  if (!found.ok) return found
  const { scope, unit, unitSlug } = found.data
  const placed = findPlacedResource(scope, unit, type, params.slug, { unitId: unit.sourcedId })
  if (!placed.ok) return placed
  const path = unitAssessmentPath(scope.subjectSlug, scope.courseSlug, unitSlug, type, params.slug)
  const data = await assessmentPage(
    scope,
    unitLink(scope, unit, unitSlug),
    placed.data,
    path,
    params.attempt ?? DEFAULT_ATTEMPT,
  )
  logServed(scope, loader)
  return { ok: true, data }
}

/** `/:subject/:course/:unit/quiz/:slug` */
export function fetchQuizPageData(
  source: ContentSource,
  request: object | undefined,
  params: UnitAssessmentParams,
): Promise<Loaded<AssessmentPageData>> {
  return fetchUnitAssessment(source, request, params, 'quiz', 'fetchQuizPageData')
}

/** `/:subject/:course/:unit/test/:slug` */
export function fetchUnitTestPageData(
  source: ContentSource,
  request: object | undefined,
  params: UnitAssessmentParams,
): Promise<Loaded<AssessmentPageData>> {
  return fetchUnitAssessment(source, request, params, 'unit-test', 'fetchUnitTestPageData')
}

/** `/:subject/:course/challenge/:slug` */
export async function fetchCourseChallengePageData(
  source: ContentSource,
  request: object | undefined,
  params: CourseChallengeParams,
): Promise<Loaded<AssessmentPageData>> {
  const located = await loadCourseBySlug(source, request, params.subject, params.course)
  if (!located.ok) return located
  const scope = located.data
  const placed = findCourseChallengeBundle(scope, params.slug)
  if (!placed.ok) return placed
  const path = courseChallengePath(scope.subjectSlug, scope.courseSlug, params.slug)
  const data = await assessmentPage(
    scope,
    null,
    placed.data,
    path,
    params.attempt ?? DEFAULT_ATTEMPT,
  )
  logServed(scope, 'fetchCourseChallengePageData')
  return { ok: true, data }
}
