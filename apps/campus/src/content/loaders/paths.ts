/**
 * Page paths, one builder per row of the URL table in docs/content-model.md. Loaders put these
 * in page data (cards, breadcrumbs) and the resource redirect answers with them, so a page's
 * links and its route patterns cannot drift apart.
 *
 * Segments are percent-encoded: slugs come from imported metadata, and a stray `/` or `?`
 * must not change which route a link reaches.
 *
 * @module
 */
import type { ResourceType } from '../../db/schema.js'

/** Lesson content types and the path letter of each (`/a/`, `/v/`, `/e/`). */
export const LESSON_CONTENT_SEGMENT = {
  article: 'a',
  video: 'v',
  exercise: 'e',
} as const satisfies Partial<Record<ResourceType, string>>

/** A resource type placed in lessons. */
export type LessonContentType = keyof typeof LESSON_CONTENT_SEGMENT

/** A resource type placed directly on a unit. */
export type UnitAssessmentType = 'quiz' | 'unit-test'

/** True for the types that live in lessons (article, video, exercise). */
export function isLessonContentType(type: string): type is LessonContentType {
  return Object.hasOwn(LESSON_CONTENT_SEGMENT, type)
}

/** True for the types that live on units (quiz, unit test). */
export function isUnitAssessmentType(type: string): type is UnitAssessmentType {
  return type === 'quiz' || type === 'unit-test'
}

const seg = encodeURIComponent

/** `/:subject` */
export function subjectPath(subject: string): string {
  return `/${seg(subject)}`
}

/** `/:subject/:course` */
export function coursePath(subject: string, course: string): string {
  return `${subjectPath(subject)}/${seg(course)}`
}

/** `/:subject/:course/:unit` */
export function unitPath(subject: string, course: string, unit: string): string {
  return `${coursePath(subject, course)}/${seg(unit)}`
}

/** `/:subject/:course/:unit/:lesson` (the lesson opens on its first content). */
export function lessonPath(subject: string, course: string, unit: string, lesson: string): string {
  return `${unitPath(subject, course, unit)}/${seg(lesson)}`
}

/** `/:subject/:course/:unit/:lesson/{a,v,e}/:slug` */
export function lessonContentPath(
  subject: string,
  course: string,
  unit: string,
  lesson: string,
  type: LessonContentType,
  slug: string,
): string {
  return `${lessonPath(subject, course, unit, lesson)}/${LESSON_CONTENT_SEGMENT[type]}/${seg(slug)}`
}

/** `/:subject/:course/:unit/quiz/:slug` */
export function quizPath(subject: string, course: string, unit: string, slug: string): string {
  return `${unitPath(subject, course, unit)}/quiz/${seg(slug)}`
}

/** `/:subject/:course/:unit/test/:slug` */
export function unitTestPath(subject: string, course: string, unit: string, slug: string): string {
  return `${unitPath(subject, course, unit)}/test/${seg(slug)}`
}

/** `/:subject/:course/:unit/{quiz,test}/:slug` by type. */
export function unitAssessmentPath(
  subject: string,
  course: string,
  unit: string,
  type: UnitAssessmentType,
  slug: string,
): string {
  return type === 'quiz'
    ? quizPath(subject, course, unit, slug)
    : unitTestPath(subject, course, unit, slug)
}

/** `/:subject/:course/challenge/:slug` */
export function courseChallengePath(subject: string, course: string, slug: string): string {
  return `${coursePath(subject, course)}/challenge/${seg(slug)}`
}

/** `/r/:resourceId` */
export function resourceRedirectPath(resourceId: string): string {
  return `/r/${seg(resourceId)}`
}

/** The JSON twin of a page path (`/api/content/...`). */
export function contentApiPath(pagePath: string): string {
  return `/api/content${pagePath}`
}
