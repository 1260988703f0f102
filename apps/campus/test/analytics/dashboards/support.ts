/**
 * Helpers of the dashboard tests: the seeded people whose dashboards have something to show
 * (a teacher of school A with classes, a learner of theirs with attempts, a learner of school
 * B), read from the database, and requests as a session.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { classes, enrollments, practiceAttempts } from '../../../src/db/schema.js'
import { DISTRICT, SCHOOL_A, SCHOOL_B, signIn } from '../../admin-area/support.js'
import type { TestCampus } from '../../support/campus.js'

export { DISTRICT, SCHOOL_A, SCHOOL_B, signIn } from '../../admin-area/support.js'

/** The seeded people the tests act as. */
export interface Cast {
  teacherA: string
  /** A class teacherA teaches, and a learner in it with attempts. */
  classA: string
  learnerA: string
  learnerB: string
}

/** A teacher of school A, one of their learners with attempts, and a learner of school B. */
export async function findCast(campus: TestCampus): Promise<Cast> {
  const db = campus.database.db
  const [taught] = await db
    .select({ teacher: enrollments.userSourcedId, classId: classes.sourcedId })
    .from(enrollments)
    .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
    .where(and(eq(enrollments.role, 'teacher'), eq(classes.schoolSourcedId, SCHOOL_A)))
    .orderBy(asc(classes.sourcedId))
    .limit(1)
  if (!taught) throw new Error('no class in school A')
  const learnerA = await learnerWithAttempts(campus, SCHOOL_A, taught.classId)
  const learnerB = await learnerWithAttempts(campus, SCHOOL_B)
  return { teacherA: taught.teacher, classA: taught.classId, learnerA, learnerB }
}

async function learnerWithAttempts(
  campus: TestCampus,
  orgId: string,
  classId?: string,
): Promise<string> {
  const [row] = await campus.database.db
    .select({ id: practiceAttempts.userSourcedId })
    .from(practiceAttempts)
    .where(
      and(
        eq(practiceAttempts.orgSourcedId, orgId),
        classId ? eq(practiceAttempts.classSourcedId, classId) : sql`true`,
      ),
    )
    .orderBy(asc(practiceAttempts.userSourcedId))
    .limit(1)
  if (!row) throw new Error(`no learner with attempts in ${orgId}`)
  return row.id
}

/** GETs `path` with `cookie` (no cookie: signed out). */
export function get(campus: TestCampus, path: string, cookie?: string): Promise<Response> {
  return Promise.resolve(campus.app.request(path, { headers: cookie ? { cookie } : {} }))
}

/** GETs a JSON dashboard and checks it answered 200. */
export async function getJson<T>(campus: TestCampus, path: string, cookie: string): Promise<T> {
  const res = await get(campus, path, cookie)
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

/** Sessions of the cast: both learners, the teacher, each school's administrator, the operator. */
export interface CastCookies {
  learnerA: string
  learnerB: string
  teacherA: string
  adminA: string
  adminB: string
  operator: string
}

/** Signs the cast in (the teacher also acts as administrator of each school and the district). */
export async function signInCast(campus: TestCampus, cast: Cast): Promise<CastCookies> {
  const as = async (user: string, org: string, role: 'student' | 'teacher' | 'administrator') =>
    (await signIn(campus, user, org, role)).cookie
  return {
    learnerA: await as(cast.learnerA, SCHOOL_A, 'student'),
    learnerB: await as(cast.learnerB, SCHOOL_B, 'student'),
    teacherA: await as(cast.teacherA, SCHOOL_A, 'teacher'),
    adminA: await as(cast.teacherA, SCHOOL_A, 'administrator'),
    adminB: await as(cast.teacherA, SCHOOL_B, 'administrator'),
    operator: await as(cast.teacherA, DISTRICT, 'administrator'),
  }
}
