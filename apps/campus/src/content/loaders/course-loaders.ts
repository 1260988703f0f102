/**
 * Course, unit and lesson page loaders, and the subject hub. Written once against
 * {@link ContentSource}, so the bundle family (learner pages) and the legacy family (parity
 * baseline) run the same code and must produce equal page data.
 *
 * The `request` argument is no longer used: the bundle family reads each course's bundle once
 * per content request through satchel's request scope (content/store.ts), so the content or
 * assessment loader that runs after a layout loader reuses the layout's bundle without it.
 *
 * @module
 */
import { bundleLookups } from '../lookups.js'
import type {
  ContentCard,
  CoursePageData,
  LessonLayoutData,
  LessonSummary,
  Loaded,
  SubjectHubData,
  UnitLink,
  UnitPageData,
  UnitSummary,
} from '../page-data.js'
import { currentContentRequest } from '../request-context.js'
import type { ContentSource } from '../source.js'
import type { ComponentRecord, CourseResourceBundle } from '../types.js'
import { calculateCourseXP, calculateUnitXP, resourceXp } from '../xp.js'
import {
  type CourseScope,
  contentCards,
  courseHeader,
  findLessonBySlug,
  findUnitBySlug,
  lessonsOf,
  notFound,
  populateQuestionCount,
  scopeFields,
  unitsOf,
} from './interactive-helpers.js'
import { coursePath, lessonPath, unitPath } from './paths.js'

export { calculateCourseXP, calculateUnitXP } from '../xp.js'

/** `/:subject/:course` */
export interface CourseParams {
  subject: string
  course: string
}

/** `/:subject/:course/:unit` */
export interface UnitParams extends CourseParams {
  unit: string
}

/** `/:subject/:course/:unit/:lesson` */
export interface LessonParams extends UnitParams {
  lesson: string
}

/**
 * Logs that a loader served a page (`content loader served`), with the course, the bundle's
 * age and how many bundle reads this request made so far (the seed's "cache usage counts").
 */
export function logServed(scope: CourseScope, loader: string): void {
  const request = currentContentRequest()
  scope.source.ctx.logger.info(
    {
      loader,
      ...scopeFields(scope),
      route: request?.route,
      bundleHits: request?.bundleHits,
      bundleMisses: request?.bundleMisses,
    },
    'content loader served',
  )
}

/**
 * Locates `/:subject/:course` and loads the course. Guards slug alignment: the loaded course's
 * `metadata.subjectSlug` and `metadata.slug` must be the URL's, else `slug_mismatch` (a cached
 * slug lookup outliving a course's move to another subject, or a renamed course).
 */
export async function loadCourseBySlug(
  source: ContentSource,
  _request: object | undefined,
  subjectSlug: string,
  courseSlug: string,
): Promise<Loaded<CourseScope>> {
  const base = { family: source.family, subjectSlug, courseSlug }
  const locator = await source.locateCourse(subjectSlug, courseSlug)
  if (!locator) {
    return notFound(source, 'bundle course lookup failed', 'course_not_found', base)
  }
  const bundle = await source.loadCourse(locator)
  if (!bundle) {
    return notFound(source, 'bundle course lookup failed', 'course_not_found', {
      ...base,
      courseId: locator.courseId,
    })
  }
  const { metadata } = bundle.course
  if (metadata.subjectSlug !== subjectSlug || metadata.slug !== courseSlug) {
    return notFound(source, 'bundle course lookup failed', 'slug_mismatch', {
      ...base,
      courseId: bundle.courseId,
      bundleFetchedAt: bundle.fetchedAt,
      actualSubjectSlug: metadata.subjectSlug,
      actualCourseSlug: metadata.slug,
    })
  }
  return { ok: true, data: { source, bundle, subjectSlug, courseSlug } }
}

/** Sets `questionCount` on the exercise cards from the bundle's counts. */
export function populateExerciseQuestionCounts(
  bundle: CourseResourceBundle,
  cards: readonly ContentCard[],
): ContentCard[] {
  return cards.map((card) => populateQuestionCount(bundle, card))
}

function lessonSummary(
  scope: CourseScope,
  unitSlug: string,
  lesson: ComponentRecord,
  lessonSlug: string,
): LessonSummary {
  const { placementsByComponent, resourcesById } = bundleLookups(scope.bundle)
  let xp = 0
  for (const placement of placementsByComponent.get(lesson.sourcedId) ?? []) {
    xp += resourceXp(resourcesById.get(placement.resourceSourcedId))
  }
  return {
    lessonId: lesson.sourcedId,
    title: lesson.title,
    slug: lessonSlug,
    path: lessonPath(scope.subjectSlug, scope.courseSlug, unitSlug, lessonSlug),
    xp,
    contents: contentCards(scope, lesson, { kind: 'lesson', unitSlug, lessonSlug }),
  }
}

function unitSummary(scope: CourseScope, unit: ComponentRecord, unitSlug: string): UnitSummary {
  return {
    unitId: unit.sourcedId,
    title: unit.title,
    slug: unitSlug,
    path: unitPath(scope.subjectSlug, scope.courseSlug, unitSlug),
    xp: calculateUnitXP(scope.bundle, unit.sourcedId),
    lessons: lessonsOf(scope, unit.sourcedId).map(({ lesson, slug }) =>
      lessonSummary(scope, unitSlug, lesson, slug),
    ),
    assessments: contentCards(scope, unit, { kind: 'unit', unitSlug }),
  }
}

/** A unit as a breadcrumb or neighbour link. */
export function unitLink(scope: CourseScope, unit: ComponentRecord, unitSlug: string): UnitLink {
  return {
    unitId: unit.sourcedId,
    title: unit.title,
    slug: unitSlug,
    path: unitPath(scope.subjectSlug, scope.courseSlug, unitSlug),
  }
}

/**
 * The course page from a located course: units and lessons in order with their cards, total
 * XP, and the course challenge (the first valid one on the holder; null when there is none).
 */
export function buildCourseFromBundle(scope: CourseScope): CoursePageData {
  const holder = bundleLookups(scope.bundle).challengeHolder
  const challenge = holder ? (contentCards(scope, holder, { kind: 'challenge' })[0] ?? null) : null
  return {
    course: courseHeader(scope),
    totalXp: calculateCourseXP(scope.bundle),
    units: unitsOf(scope).map(({ unit, slug }) => unitSummary(scope, unit, slug)),
    challenge,
  }
}

/** Title-cases a slug: `computer-science` → `Computer Science`. */
function titleCase(slug: string): string {
  return slug
    .split('-')
    .filter((word) => word !== '')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ')
}

/**
 * `/:subject`: the subject's course cards (one cached value per subject). The title is the
 * first course's subject name, else the title-cased slug. No courses → `subject_not_found`.
 */
export async function fetchSubjectHubData(
  source: ContentSource,
  subjectSlug: string,
  _request?: object,
): Promise<Loaded<SubjectHubData>> {
  const cards = await source.subjectHub(subjectSlug)
  const first = cards[0]
  if (!first) {
    return notFound(source, 'subject hub has no courses', 'subject_not_found', {
      family: source.family,
      subjectSlug,
    })
  }
  const subjectTitle = first.subjectTitle || titleCase(subjectSlug)
  source.ctx.logger.info(
    { loader: 'fetchSubjectHubData', family: source.family, subjectSlug, courses: cards.length },
    'content loader served',
  )
  return {
    ok: true,
    data: {
      subjectSlug,
      subjectTitle,
      courses: cards.map((card) => ({ ...card, path: coursePath(subjectSlug, card.slug) })),
    },
  }
}

/** `/:subject/:course` */
export async function fetchCoursePageData(
  source: ContentSource,
  request: object | undefined,
  params: CourseParams,
): Promise<Loaded<CoursePageData>> {
  const located = await loadCourseBySlug(source, request, params.subject, params.course)
  if (!located.ok) return located
  logServed(located.data, 'fetchCoursePageData')
  return { ok: true, data: buildCourseFromBundle(located.data) }
}

/** A located course and unit. */
export interface UnitScope {
  scope: CourseScope
  unit: ComponentRecord
  unitSlug: string
}

/** Locates the course and the unit of `/:subject/:course/:unit`. */
export async function loadUnitBySlug(
  source: ContentSource,
  request: object | undefined,
  params: UnitParams,
): Promise<Loaded<UnitScope>> {
  const located = await loadCourseBySlug(source, request, params.subject, params.course)
  if (!located.ok) return located
  const unit = findUnitBySlug(located.data, params.unit)
  if (!unit.ok) return unit
  return { ok: true, data: { scope: located.data, unit: unit.data, unitSlug: params.unit } }
}

/** `/:subject/:course/:unit` */
export async function fetchUnitPageData(
  source: ContentSource,
  request: object | undefined,
  params: UnitParams,
): Promise<Loaded<UnitPageData>> {
  const found = await loadUnitBySlug(source, request, params)
  if (!found.ok) return found
  const { scope, unit, unitSlug } = found.data
  const units = unitsOf(scope)
  const index = units.findIndex((u) => u.unit.sourcedId === unit.sourcedId)
  const neighbour = (i: number): UnitLink | null => {
    const entry = units[i]
    return entry ? unitLink(scope, entry.unit, entry.slug) : null
  }
  logServed(scope, 'fetchUnitPageData')
  return {
    ok: true,
    data: {
      course: courseHeader(scope),
      unit: unitSummary(scope, unit, unitSlug),
      unitNumber: index + 1,
      previousUnit: neighbour(index - 1),
      nextUnit: neighbour(index + 1),
    },
  }
}

/** A located lesson with its layout data, for the content loaders that render inside it. */
export interface LessonScope extends UnitScope {
  lesson: ComponentRecord
  lessonSlug: string
  layout: LessonLayoutData
}

/** Locates `/:subject/:course/:unit/:lesson` and builds its layout. */
export async function loadLessonLayout(
  source: ContentSource,
  request: object | undefined,
  params: LessonParams,
): Promise<Loaded<LessonScope>> {
  const found = await loadUnitBySlug(source, request, params)
  if (!found.ok) return found
  const { scope, unit, unitSlug } = found.data
  const lesson = findLessonBySlug(scope, unit, params.lesson)
  if (!lesson.ok) return lesson
  const layout: LessonLayoutData = {
    course: courseHeader(scope),
    unit: unitLink(scope, unit, unitSlug),
    lesson: lessonSummary(scope, unitSlug, lesson.data, params.lesson),
  }
  return {
    ok: true,
    data: { ...found.data, lesson: lesson.data, lessonSlug: params.lesson, layout },
  }
}

/** `/:subject/:course/:unit/:lesson`: the lesson's frame (its content list) around a page. */
export async function fetchLessonLayoutData(
  source: ContentSource,
  request: object | undefined,
  params: LessonParams,
): Promise<Loaded<LessonLayoutData>> {
  const found = await loadLessonLayout(source, request, params)
  if (!found.ok) return found
  logServed(found.data.scope, 'fetchLessonLayoutData')
  return { ok: true, data: found.data.layout }
}
