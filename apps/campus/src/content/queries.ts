/**
 * The SQL behind content. The bundle family's queries read one course (or one subject); the
 * legacy family's read a whole organisation. Every query ignores `tobedeleted` rows and orders
 * its output, so two reads of the same data compare equal.
 *
 * @module
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import {
  assessmentItems,
  componentResources,
  courseComponents,
  courses,
  resources,
} from '../db/schema.js'
import type {
  AssessmentItemRecord,
  ComponentRecord,
  ComponentResourceRecord,
  CourseLocator,
  CourseRecord,
  CourseResourceBundle,
  ResourceRecord,
} from './types.js'

const ACTIVE = 'active'

/**
 * A JSON column read as an object. PostgreSQL accepts `null`, a string or an array in a jsonb
 * column; the loaders read `metadata.slug` and friends directly, so anything that is not a
 * plain object becomes `{}` here, and validation later reports the missing fields as a 404
 * with a warning rather than a TypeError.
 */
function asObject<T extends object>(value: unknown): T {
  return (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as T
}

/** Rows with their `metadata` made safe to read (see {@link asObject}). */
function withObjectMetadata<R extends { metadata: unknown }>(rows: R[]): R[] {
  for (const row of rows) row.metadata = asObject(row.metadata)
  return rows
}

const courseColumns = {
  sourcedId: courses.sourcedId,
  orgSourcedId: courses.orgSourcedId,
  title: courses.title,
  courseCode: courses.courseCode,
  grades: courses.grades,
  subjects: courses.subjects,
  metadata: courses.metadata,
}
const componentColumns = {
  sourcedId: courseComponents.sourcedId,
  courseSourcedId: courseComponents.courseSourcedId,
  parentSourcedId: courseComponents.parentSourcedId,
  title: courseComponents.title,
  sortOrder: courseComponents.sortOrder,
  metadata: courseComponents.metadata,
}
const placementColumns = {
  sourcedId: componentResources.sourcedId,
  courseComponentSourcedId: componentResources.courseComponentSourcedId,
  resourceSourcedId: componentResources.resourceSourcedId,
  title: componentResources.title,
  sortOrder: componentResources.sortOrder,
}
const resourceColumns = {
  sourcedId: resources.sourcedId,
  title: resources.title,
  vendorResourceId: resources.vendorResourceId,
  metadata: resources.metadata,
}

// Join conditions shared by the placement queries: placement → its component → its course.
const placementOnComponent = eq(
  courseComponents.sourcedId,
  componentResources.courseComponentSourcedId,
)
const componentOnCourse = eq(courses.sourcedId, courseComponents.courseSourcedId)

/** Resolves a subject + course slug to the course; null when no active course matches. */
export async function queryCourseLocator(
  db: Database,
  subjectSlug: string,
  courseSlug: string,
): Promise<CourseLocator | null> {
  const rows = await db
    .select({ courseId: courses.sourcedId, orgId: courses.orgSourcedId })
    .from(courses)
    .where(
      and(
        eq(courses.status, ACTIVE),
        sql`${courses.metadata}->>'subjectSlug' = ${subjectSlug}`,
        sql`${courses.metadata}->>'slug' = ${courseSlug}`,
      ),
    )
    .orderBy(asc(courses.sourcedId))
    .limit(1)
  return rows[0] ?? null
}

/** Active courses of a subject, by title. */
export async function querySubjectCourses(
  db: Database,
  subjectSlug: string,
): Promise<CourseRecord[]> {
  const rows = await db
    .select(courseColumns)
    .from(courses)
    .where(
      and(eq(courses.status, ACTIVE), sql`${courses.metadata}->>'subjectSlug' = ${subjectSlug}`),
    )
    .orderBy(asc(courses.title), asc(courses.sourcedId))
  return withObjectMetadata(rows)
}

/**
 * Builds one course's bundle with five course-scoped queries; null when the course does not
 * exist or is not active.
 */
export async function queryCourseBundle(
  db: Database,
  courseId: string,
  now: number = Date.now(),
): Promise<CourseResourceBundle | null> {
  const [course] = await db
    .select(courseColumns)
    .from(courses)
    .where(and(eq(courses.sourcedId, courseId), eq(courses.status, ACTIVE)))
  if (!course) return null
  course.metadata = asObject(course.metadata)
  const components: ComponentRecord[] = await db
    .select(componentColumns)
    .from(courseComponents)
    .where(and(eq(courseComponents.courseSourcedId, courseId), eq(courseComponents.status, ACTIVE)))
    .orderBy(asc(courseComponents.sortOrder), asc(courseComponents.sourcedId))
  withObjectMetadata(components)
  const placements: ComponentResourceRecord[] = await db
    .select(placementColumns)
    .from(componentResources)
    .innerJoin(courseComponents, placementOnComponent)
    .where(
      and(
        eq(courseComponents.courseSourcedId, courseId),
        eq(courseComponents.status, ACTIVE),
        eq(componentResources.status, ACTIVE),
      ),
    )
    .orderBy(asc(componentResources.sortOrder), asc(componentResources.sourcedId))
  const resourceIds = [...new Set(placements.map((p) => p.resourceSourcedId))]
  const resourceRows: ResourceRecord[] =
    resourceIds.length === 0
      ? []
      : await db
          .select(resourceColumns)
          .from(resources)
          .where(and(inArray(resources.sourcedId, resourceIds), eq(resources.status, ACTIVE)))
          .orderBy(asc(resources.sourcedId))
  withObjectMetadata(resourceRows)
  const questionCounts = await queryQuestionCounts(
    db,
    resourceRows.filter((r) => r.metadata.type === 'exercise').map((r) => r.sourcedId),
  )
  return {
    version: 1,
    courseId,
    orgId: course.orgSourcedId,
    fetchedAt: now,
    course,
    components,
    componentResources: placements,
    resources: resourceRows,
    questionCounts,
  }
}

/** Active item counts for the given resources (0 for a resource without items). */
export async function queryQuestionCounts(
  db: Database,
  resourceIds: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const id of resourceIds) counts[id] = 0
  if (resourceIds.length === 0) return counts
  const rows = await db
    .select({ id: assessmentItems.resourceSourcedId, n: sql<number>`count(*)::int` })
    .from(assessmentItems)
    .where(
      and(
        inArray(assessmentItems.resourceSourcedId, [...resourceIds]),
        eq(assessmentItems.status, ACTIVE),
      ),
    )
    .groupBy(assessmentItems.resourceSourcedId)
  for (const row of rows) counts[row.id] = Number(row.n)
  return counts
}

/** Active items of one resource, in authored order. */
export async function queryAssessmentItems(
  db: Database,
  resourceId: string,
): Promise<AssessmentItemRecord[]> {
  return db
    .select({
      sourcedId: assessmentItems.sourcedId,
      resourceSourcedId: assessmentItems.resourceSourcedId,
      identifier: assessmentItems.identifier,
      title: assessmentItems.title,
      sortOrder: assessmentItems.sortOrder,
      required: assessmentItems.required,
      fixed: assessmentItems.fixed,
      body: assessmentItems.body,
    })
    .from(assessmentItems)
    .where(
      and(eq(assessmentItems.resourceSourcedId, resourceId), eq(assessmentItems.status, ACTIVE)),
    )
    .orderBy(asc(assessmentItems.sortOrder), asc(assessmentItems.sourcedId))
}

/** The distinct active courses a resource is placed in, with their orgs (redirects). */
export async function queryResourceCourses(
  db: Database,
  resourceId: string,
): Promise<CourseLocator[]> {
  return db
    .selectDistinct({ courseId: courses.sourcedId, orgId: courses.orgSourcedId })
    .from(componentResources)
    .innerJoin(courseComponents, placementOnComponent)
    .innerJoin(courses, componentOnCourse)
    .where(
      and(
        eq(componentResources.resourceSourcedId, resourceId),
        eq(componentResources.status, ACTIVE),
        eq(courseComponents.status, ACTIVE),
        eq(courses.status, ACTIVE),
      ),
    )
    .orderBy(asc(courses.sourcedId))
}

// ---- legacy, organisation-wide reads (the pattern behind the egress incident) ----

/** Every active course of every organisation: the legacy catalogue. */
export async function queryAllCourses(db: Database): Promise<CourseRecord[]> {
  const rows = await db
    .select(courseColumns)
    .from(courses)
    .where(eq(courses.status, ACTIVE))
    .orderBy(asc(courses.sourcedId))
  return withObjectMetadata(rows)
}

/** Every active component of an organisation's active courses. */
export async function queryAllCourseComponents(
  db: Database,
  orgId: string,
): Promise<ComponentRecord[]> {
  const rows = await db
    .select(componentColumns)
    .from(courseComponents)
    .innerJoin(courses, componentOnCourse)
    .where(
      and(
        eq(courses.orgSourcedId, orgId),
        eq(courses.status, ACTIVE),
        eq(courseComponents.status, ACTIVE),
      ),
    )
    .orderBy(asc(courseComponents.sortOrder), asc(courseComponents.sourcedId))
  return withObjectMetadata(rows)
}

/** Every active placement in an organisation's courses. */
export async function queryAllComponentResources(
  db: Database,
  orgId: string,
): Promise<ComponentResourceRecord[]> {
  return db
    .select(placementColumns)
    .from(componentResources)
    .innerJoin(courseComponents, placementOnComponent)
    .innerJoin(courses, componentOnCourse)
    .where(
      and(
        eq(courses.orgSourcedId, orgId),
        eq(courses.status, ACTIVE),
        eq(courseComponents.status, ACTIVE),
        eq(componentResources.status, ACTIVE),
      ),
    )
    .orderBy(asc(componentResources.sortOrder), asc(componentResources.sourcedId))
}

/** Every active resource placed anywhere in an organisation's courses. */
export async function queryAllResources(db: Database, orgId: string): Promise<ResourceRecord[]> {
  const placed = db
    .selectDistinct({ id: componentResources.resourceSourcedId })
    .from(componentResources)
    .innerJoin(courseComponents, placementOnComponent)
    .innerJoin(courses, componentOnCourse)
    .where(and(eq(courses.orgSourcedId, orgId), eq(componentResources.status, ACTIVE)))
  const rows = await db
    .select(resourceColumns)
    .from(resources)
    .where(and(eq(resources.status, ACTIVE), inArray(resources.sourcedId, placed)))
    .orderBy(asc(resources.sourcedId))
  return withObjectMetadata(rows)
}
