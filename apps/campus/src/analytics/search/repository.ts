/**
 * Search queries on PostgreSQL: one full-text match on the GIN expression indexes of
 * db/schema.ts (`users_search_idx`, `classes_search_idx`, `courses_search_idx`), prefix terms
 * (`jos:*`), limited to the viewer's organisations and, for teachers, their classes. No
 * `LIKE '%…%'`: a leading wildcard cannot use a btree index and scans the table.
 *
 * @module
 */
import { and, asc, eq, exists, inArray, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { classes, courses, enrollments, searchDocument, userRoles, users } from '../../db/schema.js'
import type { SearchType } from './input.js'

/** One search hit. */
export interface SearchHit {
  readonly type: SearchType
  readonly id: string
  readonly label: string
  /** A second line (class code, course code). */
  readonly detail: string | null
  /** Where the hit leads, when it has a page. */
  readonly href: string | null
}

/** Who the results are for: everything in `orgIds`, or (teachers) only `classIds`. */
export interface SearchScope {
  readonly orgIds: readonly string[]
  /** Set for teachers: the classes they teach (their students, their classes). */
  readonly classIds?: readonly string[] | undefined
}

/** `terms` as a prefix `tsquery`; the terms hold letters and digits only (input.ts). */
function prefixQuery(terms: readonly string[]): SQL {
  return sql`to_tsquery('simple'::regconfig, ${terms.map((t) => `${t}:*`).join(' & ')})`
}

/** The document of each table, built exactly as its index is (or the planner ignores it). */
const USER_DOCUMENT = searchDocument(
  sql`${users.givenName}`,
  sql`${users.preferredFirstName}`,
  sql`${users.familyName}`,
)
const CLASS_DOCUMENT = searchDocument(sql`${classes.title}`, sql`${classes.classCode}`)
const COURSE_DOCUMENT = searchDocument(sql`${courses.title}`, sql`${courses.courseCode}`)

/** The students query (exported for the EXPLAIN test). */
export function studentsQuery(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
) {
  const member =
    scope.classIds === undefined
      ? db
          .select({ one: sql`1` })
          .from(userRoles)
          .where(
            and(
              eq(userRoles.userSourcedId, users.sourcedId),
              eq(userRoles.role, 'student'),
              inArray(userRoles.orgSourcedId, [...scope.orgIds]),
            ),
          )
      : db
          .select({ one: sql`1` })
          .from(enrollments)
          .where(
            and(
              eq(enrollments.userSourcedId, users.sourcedId),
              eq(enrollments.role, 'student'),
              eq(enrollments.status, 'active'),
              inArray(enrollments.classSourcedId, [...scope.classIds]),
            ),
          )
  return db
    .select({
      id: users.sourcedId,
      given: users.givenName,
      preferred: users.preferredFirstName,
      family: users.familyName,
      username: users.username,
    })
    .from(users)
    .where(
      and(
        sql`${USER_DOCUMENT} @@ ${prefixQuery(terms)}`,
        eq(users.status, 'active'),
        exists(member),
      ),
    )
    .orderBy(asc(users.familyName), asc(users.givenName), asc(users.sourcedId))
    .limit(limit)
}

async function searchStudents(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
): Promise<SearchHit[]> {
  if (scope.orgIds.length === 0 || scope.classIds?.length === 0) return []
  const rows = await studentsQuery(db, terms, scope, limit)
  return rows.map((r) => ({
    type: 'students',
    id: r.id,
    label: `${r.preferred ?? r.given} ${r.family}`,
    detail: r.username,
    href: null,
  }))
}

/** The classes query (exported for the EXPLAIN test). */
export function classesQuery(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
) {
  return db
    .select({ id: classes.sourcedId, title: classes.title, code: classes.classCode })
    .from(classes)
    .where(
      and(
        sql`${CLASS_DOCUMENT} @@ ${prefixQuery(terms)}`,
        eq(classes.status, 'active'),
        inArray(classes.schoolSourcedId, [...scope.orgIds]),
        scope.classIds === undefined ? undefined : inArray(classes.sourcedId, [...scope.classIds]),
      ),
    )
    .orderBy(asc(classes.title), asc(classes.sourcedId))
    .limit(limit)
}

async function searchClasses(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
): Promise<SearchHit[]> {
  if (scope.orgIds.length === 0 || scope.classIds?.length === 0) return []
  const rows = await classesQuery(db, terms, scope, limit)
  return rows.map((r) => ({
    type: 'classes',
    id: r.id,
    label: r.title,
    detail: r.code,
    href: `/reports/classes/${encodeURIComponent(r.id)}`,
  }))
}

/** The courses query (exported for the EXPLAIN test). */
export function coursesQuery(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
) {
  return db
    .select({
      id: courses.sourcedId,
      title: courses.title,
      code: courses.courseCode,
      metadata: courses.metadata,
    })
    .from(courses)
    .where(
      and(
        sql`${COURSE_DOCUMENT} @@ ${prefixQuery(terms)}`,
        eq(courses.status, 'active'),
        inArray(courses.orgSourcedId, [...scope.orgIds]),
      ),
    )
    .orderBy(asc(courses.title), asc(courses.sourcedId))
    .limit(limit)
}

async function searchCourses(
  db: Database,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
): Promise<SearchHit[]> {
  if (scope.orgIds.length === 0) return []
  const rows = await coursesQuery(db, terms, scope, limit)
  return rows.map((r) => {
    const { subjectSlug, slug } = r.metadata
    return {
      type: 'courses',
      id: r.id,
      label: r.title,
      detail: r.code,
      href:
        typeof subjectSlug === 'string' && typeof slug === 'string'
          ? `/${encodeURIComponent(subjectSlug)}/${encodeURIComponent(slug)}`
          : null,
    }
  })
}

/** Runs one search on PostgreSQL (the cache's factory). */
export function runSearch(
  db: Database,
  type: SearchType,
  terms: readonly string[],
  scope: SearchScope,
  limit: number,
): Promise<SearchHit[]> {
  if (type === 'students') return searchStudents(db, terms, scope, limit)
  if (type === 'classes') return searchClasses(db, terms, scope, limit)
  return searchCourses(db, terms, scope, limit)
}
