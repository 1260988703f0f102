/**
 * What each page loader returns: the contract between loaders (`loaders/`) and pages (`web/`).
 * Page data is plain JSON (the JSON twins under `/api/content/` return it as is), so it never
 * carries an answer key: assessment questions are sent without `correct`.
 *
 * @module
 */
import type { ResourceType } from '../db/schema.js'
import type { HubCourse } from './types.js'

/** Why a page is a 404. Each one is logged as a structured warning with the ids involved. */
export type NotFoundReason =
  | 'subject_not_found'
  | 'course_not_found'
  | 'unit_not_found'
  | 'lesson_not_found'
  | 'resource_not_found'
  | 'slug_mismatch'
  | 'invalid_metadata'
  | 'component_resource_mismatch'

/** A loader's answer: the page data, or why there is none. */
export type Loaded<T> =
  | { ok: true; data: T }
  | {
      ok: false
      reason: NotFoundReason
      /** The seed's structured fields (`courseId`, `unitId`, `resourceSourcedId`, …). */
      fields: Record<string, unknown>
    }

/** The course a page belongs to (header and breadcrumbs). */
export interface CourseHeader {
  courseId: string
  /** The organisation that owns the course (its SCORM packages are listed to visitors). */
  orgId: string
  title: string
  slug: string
  subjectSlug: string
  description: string
  courseCode: string | null
  grades: string[]
  path: string
}

/** A resource as a link or card. */
export interface ContentCard {
  resourceId: string
  componentResourceId: string
  type: ResourceType
  title: string
  slug: string
  xp: number
  path: string
  /** Exercises: how many questions (`populateExerciseQuestionCounts`). */
  questionCount?: number
}

/** A lesson with its content, in order. */
export interface LessonSummary {
  lessonId: string
  title: string
  slug: string
  path: string
  xp: number
  contents: ContentCard[]
}

/** A unit with its lessons, quizzes and unit test, in order. */
export interface UnitSummary {
  unitId: string
  title: string
  slug: string
  path: string
  xp: number
  lessons: LessonSummary[]
  /** Quizzes and the unit test placed on the unit, in order. */
  assessments: ContentCard[]
}

/** A unit as a breadcrumb or neighbour link. */
export interface UnitLink {
  unitId: string
  title: string
  slug: string
  path: string
}

/** `/:subject` */
export interface SubjectHubData {
  subjectSlug: string
  subjectTitle: string
  courses: (HubCourse & { path: string })[]
}

/** `/:subject/:course` */
export interface CoursePageData {
  course: CourseHeader
  totalXp: number
  units: UnitSummary[]
  challenge: ContentCard | null
}

/** `/:subject/:course/:unit` */
export interface UnitPageData {
  course: CourseHeader
  unit: UnitSummary
  /** 1-based position among the course's units. */
  unitNumber: number
  previousUnit: UnitLink | null
  nextUnit: UnitLink | null
}

/** `/:subject/:course/:unit/:lesson` — the lesson's frame around its content. */
export interface LessonLayoutData {
  course: CourseHeader
  unit: UnitLink
  lesson: LessonSummary
}

/** `/…/:lesson/a/:slug` */
export interface ArticlePageData {
  layout: LessonLayoutData
  resource: ContentCard
  paragraphs: string[]
}

/** `/…/:lesson/v/:slug` */
export interface VideoPageData {
  layout: LessonLayoutData
  resource: ContentCard
  youtubeId: string
  durationSeconds: number | null
  /** `https://www.youtube-nocookie.com/embed/<id>` */
  embedUrl: string
}

/** A question as the learner sees it (no answer key). */
export interface QuestionView {
  itemId: string
  identifier: string
  prompt: string
  choices: string[]
}

/** `/…/:lesson/e/:slug` */
export interface ExercisePageData {
  layout: LessonLayoutData
  resource: ContentCard
  questions: QuestionView[]
}

/** Quiz, unit test or course challenge. */
export interface AssessmentPageData {
  kind: 'quiz' | 'unit-test' | 'course-challenge'
  course: CourseHeader
  /** The unit of a quiz or unit test; null for a course challenge. */
  unit: UnitLink | null
  resource: ContentCard
  /** The attempt seed that chose and ordered the questions; same seed → same questions. */
  attempt: string
  questions: QuestionView[]
  /** Size of the item pool the questions were selected from. */
  poolSize: number
}
