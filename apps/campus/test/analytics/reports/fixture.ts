/**
 * The rows search and report tests read, written on top of the `small` set: a teacher's class
 * of twelve learners in school 01 (one with an accented name, one whose name a spreadsheet would
 * run as a formula), a small class of three another teacher teaches, a class in school 02, IXL
 * levels, Toddle term grades and attendance. Sessions are created through the session store.
 *
 * @module
 */
import { asc, eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import type { CampusRole } from '../../../src/auth/principal.js'
import {
  classes,
  courses,
  enrollments,
  externalAssessmentScores,
  importRuns,
  toddleAttendance,
  toddleTermGrades,
  userRoles,
  users,
} from '../../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../../src/seed/generate.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'

export const DISTRICT = 'org-district'
export const SCHOOL_A = 'org-school-01'
export const SCHOOL_B = 'org-school-02'
export const FALL = 'as-2026-27-fall'
export const SPRING = 'as-2026-27-spring'
export const YEAR = 'as-2026-27'

/** Ids of the fixture's rows. */
export const FX = {
  admin: 'usr-fx-admin',
  teacher: 'usr-fx-teacher',
  otherTeacher: 'usr-fx-teacher-2',
  jose: 'usr-fx-jose',
  formula: 'usr-fx-formula',
  otherSchoolJose: 'usr-fx-jose-b',
  classA: 'cls-fx-a',
  classSmall: 'cls-fx-small',
  classOther: 'cls-fx-other',
  /** The course of the practice quiz (attempts of class A are on it). */
  courseId: SMALL_FIXTURES.quiz.courseId,
} as const

type NewUser = typeof users.$inferInsert

function user(id: string, given: string, family: string, grades: string[] = []): NewUser {
  return { sourcedId: id, username: id, givenName: given, familyName: family, grades }
}

/** Writes the fixture (see the module comment). */
export async function writeFixture(campus: TestCampus): Promise<void> {
  const db = campus.database.db
  const filler = Array.from({ length: 10 }, (_, i) =>
    user(`usr-fx-a${String(i).padStart(2, '0')}`, `Learner${i}`, 'Fixture', ['05']),
  )
  const small = Array.from({ length: 3 }, (_, i) =>
    user(`usr-fx-s${i}`, `Small${i}`, 'Fixture', ['05']),
  )
  await db
    .insert(users)
    .values([
      user(FX.admin, 'Ada', 'Admin'),
      user(FX.teacher, 'Tess', 'Teacher'),
      user(FX.otherTeacher, 'Otto', 'Teacher'),
      user(FX.jose, 'José', 'García', ['05']),
      user(FX.formula, '=HYPERLINK("x")', '@Risk', ['05']),
      user(FX.otherSchoolJose, 'Jose', 'Elsewhere', ['05']),
      ...filler,
      ...small,
    ])
  const role = (userId: string, r: string, org: string) => ({
    sourcedId: `role-${userId}`,
    userSourcedId: userId,
    roleType: 'primary',
    role: r,
    orgSourcedId: org,
  })
  await db
    .insert(userRoles)
    .values([
      role(FX.admin, 'administrator', SCHOOL_A),
      role(FX.teacher, 'teacher', SCHOOL_A),
      role(FX.otherTeacher, 'teacher', SCHOOL_A),
      role(FX.jose, 'student', SCHOOL_A),
      role(FX.formula, 'student', SCHOOL_A),
      role(FX.otherSchoolJose, 'student', SCHOOL_B),
      ...filler.map((u) => role(u.sourcedId, 'student', SCHOOL_A)),
      ...small.map((u) => role(u.sourcedId, 'student', SCHOOL_A)),
    ])
  const [course] = await db.select().from(courses).where(eq(courses.sourcedId, FX.courseId))
  if (!course) throw new Error('no quiz course in the small set')
  const cls = (id: string, title: string, code: string, school: string) => ({
    sourcedId: id,
    title,
    classCode: code,
    courseSourcedId: course.sourcedId,
    schoolSourcedId: school,
    grades: ['05'],
    termSourcedIds: [FALL, SPRING],
  })
  await db
    .insert(classes)
    .values([
      cls(FX.classA, 'Fixture Algebra Élan', 'FX-ALG', SCHOOL_A),
      cls(FX.classSmall, 'Fixture Small Group', 'FX-SMALL', SCHOOL_A),
      cls(FX.classOther, 'Fixture Algebra Other School', 'FX-OTHER', SCHOOL_B),
    ])
  let n = 0
  const enrol = (classId: string, school: string, userId: string, r: string) => ({
    sourcedId: `enr-fx-${++n}`,
    classSourcedId: classId,
    schoolSourcedId: school,
    userSourcedId: userId,
    role: r,
  })
  await db
    .insert(enrollments)
    .values([
      enrol(FX.classA, SCHOOL_A, FX.teacher, 'teacher'),
      enrol(FX.classA, SCHOOL_A, FX.jose, 'student'),
      enrol(FX.classA, SCHOOL_A, FX.formula, 'student'),
      ...filler.map((u) => enrol(FX.classA, SCHOOL_A, u.sourcedId, 'student')),
      enrol(FX.classSmall, SCHOOL_A, FX.otherTeacher, 'teacher'),
      ...small.map((u) => enrol(FX.classSmall, SCHOOL_A, u.sourcedId, 'student')),
      enrol(FX.classOther, SCHOOL_B, FX.otherSchoolJose, 'student'),
    ])
  const [run] = await db
    .insert(importRuns)
    .values({ source: 'ixl-csv', origin: 'fixture', via: 'cli', orgSourcedId: SCHOOL_A })
    .returning({ id: importRuns.id })
  if (!run) throw new Error('no run')
  const ixl = (period: string, level: number) => ({
    orgSourcedId: SCHOOL_A,
    userSourcedId: FX.jose,
    provider: 'ixl',
    assessment: 'diagnostic',
    subject: 'math',
    strand: 'overall',
    period,
    level,
    importRunId: run.id,
  })
  await db.insert(externalAssessmentScores).values([ixl('Fall 2026', 500), ixl('Winter 2027', 560)])
  await db.insert(toddleTermGrades).values({
    orgSourcedId: SCHOOL_A,
    userSourcedId: FX.jose,
    courseRef: 'T-ALG',
    courseTitle: 'Algebra',
    classSourcedId: FX.classA,
    gradingPeriodRef: 'gp-fall',
    gradingPeriodTitle: 'Fall 2026',
    academicYear: '2026-2027',
    score: 88,
    grade: 'B+',
    importRunId: run.id,
  })
  const mark = (date: string, status: 'present' | 'absent' | 'late' | 'excused') => ({
    orgSourcedId: SCHOOL_A,
    userSourcedId: FX.jose,
    date,
    courseRef: 'T-ALG',
    classSourcedId: FX.classA,
    status,
    importRunId: run.id,
  })
  await db
    .insert(toddleAttendance)
    .values([
      mark('2026-09-01', 'present'),
      mark('2026-09-02', 'late'),
      mark('2026-09-03', 'absent'),
      mark('2026-09-04', 'excused'),
      mark('2027-02-01', 'absent'),
    ])
}

/** A session cookie for `userId` acting as `role` in `orgId` (`operator` for the district admin). */
export async function cookieFor(
  campus: TestCampus,
  userId: string,
  orgId: string,
  role: CampusRole,
): Promise<string> {
  const { token } = await campus.deps.auth.sessions.create({ userId, orgId, role })
  return `campus_session=${token}`
}

/** GET `path` with `cookie`. */
export function get(campus: TestCampus, path: string, cookie?: string): Promise<Response> {
  return Promise.resolve(campus.app.request(path, { headers: cookie ? { cookie } : {} }))
}

/** Ids of the seeded classes (for tests that need one the fixture did not write). */
export async function seededClassIds(campus: TestCampus): Promise<string[]> {
  const rows = await campus.database.db
    .select({ id: classes.sourcedId })
    .from(classes)
    .orderBy(asc(classes.sourcedId))
  return rows.map((r) => r.id)
}

/** A campus on its own redis-server with the fixture written, and the fixture's three sessions. */
export interface FixtureCampus {
  readonly redis: RedisServer
  readonly campus: TestCampus
  readonly admin: string
  readonly teacher: string
  readonly student: string
  close(): Promise<void>
}

/** Starts a {@link FixtureCampus} (what the search and report suites share). */
export async function startFixtureCampus(): Promise<FixtureCampus> {
  const redis = await startRedis()
  const campus = await startTestCampus({ redisUrl: redis.url })
  await writeFixture(campus)
  return {
    redis,
    campus,
    admin: await cookieFor(campus, FX.admin, SCHOOL_A, 'administrator'),
    teacher: await cookieFor(campus, FX.teacher, SCHOOL_A, 'teacher'),
    student: await cookieFor(campus, FX.jose, SCHOOL_A, 'student'),
    async close() {
      await campus.close()
      await redis.stop()
    },
  }
}
