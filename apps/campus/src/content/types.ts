/**
 * The shapes content loaders pass around: plain rows (no Dates, no class instances) so a value
 * survives the cache's MessagePack round trip unchanged and two loader families can be compared
 * with a deep equality.
 *
 * @module
 */
import type {
  AssessmentItemBody,
  ComponentMetadata,
  CourseMetadata,
  ResourceMetadata,
} from '../db/schema.js'

/** A course as the content pages need it. */
export interface CourseRecord {
  sourcedId: string
  orgSourcedId: string
  title: string
  courseCode: string | null
  grades: string[]
  subjects: string[]
  metadata: CourseMetadata
}

/** A unit, lesson or course-challenge holder. */
export interface ComponentRecord {
  sourcedId: string
  courseSourcedId: string
  parentSourcedId: string | null
  title: string
  sortOrder: number
  metadata: ComponentMetadata
}

/** A resource (article, video, exercise, quiz, unit test, course challenge). */
export interface ResourceRecord {
  sourcedId: string
  title: string
  vendorResourceId: string
  metadata: ResourceMetadata
}

/** A resource placed in a component. */
export interface ComponentResourceRecord {
  sourcedId: string
  courseComponentSourcedId: string
  resourceSourcedId: string
  title: string
  sortOrder: number
}

/** One question of an exercise or assessment. */
export interface AssessmentItemRecord {
  sourcedId: string
  resourceSourcedId: string
  identifier: string
  title: string
  sortOrder: number
  required: boolean
  fixed: boolean
  body: AssessmentItemBody
}

/** Where a course lives: what a slug lookup resolves to. */
export interface CourseLocator {
  courseId: string
  orgId: string
}

/**
 * Everything the learner pages need about one course, cached as one Redis value under
 * `oneroster-course-bundle:<courseId>` (org-scoped). Replaces the org-wide `getAllResources` /
 * `getAllComponentResources` reads behind the 900 GB egress incident: a page reads its own
 * course, not the organisation's catalogue. Lookup maps are not stored; they are rebuilt in
 * process once per bundle object (`lookups.ts`).
 */
export interface CourseResourceBundle {
  /** Bumped when the shape changes, so an old cached bundle is rebuilt instead of misread. */
  version: 1
  courseId: string
  orgId: string
  /** When the bundle was built from the database (ms since epoch); the log field `bundleFetchedAt`. */
  fetchedAt: number
  course: CourseRecord
  /** Units, lessons and the challenge holder; active rows only. */
  components: ComponentRecord[]
  /** Placements in this course's components; active rows only. */
  componentResources: ComponentResourceRecord[]
  /** Every resource placed in this course, once each. */
  resources: ResourceRecord[]
  /** Active assessment items per exercise resource (`populateExerciseQuestionCounts`). */
  questionCounts: Record<string, number>
}

/** One course card on a subject hub. */
export interface HubCourse {
  courseId: string
  title: string
  slug: string
  courseCode: string | null
  grades: string[]
  description: string
  /** The course's first OneRoster subject (`Math`), the hub's heading. */
  subjectTitle: string
  unitCount: number
  totalXp: number
}
