/**
 * Cohort test data written into a seeded campus (its generated scores removed first): classes of one school with quiz scores of
 * known shape (normal, skewed, ceiling-heavy, identical, small), Toddle grades with blanks and
 * NaN, IXL levels, a second district (another tenant) and the people who look at them.
 */
import { asc } from 'drizzle-orm'
import type { CampusRole } from '../../../src/auth/principal.js'
import {
  classes,
  courses,
  enrollments,
  externalAssessmentScores,
  externalUsage,
  importRuns,
  orgs,
  practiceAttempts,
  practiceItemResponses,
  resources,
  toddleAttendance,
  toddleTermGrades,
  userRoles,
  users,
} from '../../../src/db/schema.js'
import type { TestCampus } from '../../support/campus.js'

export const DISTRICT = 'org-district'
export const SCHOOL = 'org-school-01'
export const SIBLING_SCHOOL = 'org-school-02'
export const OTHER_DISTRICT = 'coh-other-district'
export const OTHER_SCHOOL = 'coh-other-school'

/** Standard normal quantile (Acklam's rational approximation; plenty for test data). */
function normalQuantile(p: number): number {
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472,
    2.50662827745924,
  ]
  const b = [
    -54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857,
  ]
  const c = [
    -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373,
    4.37466414146497, 2.93816398269878,
  ]
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742]
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

const round1 = (x: number) => Math.round(x * 10) / 10

/** `n` scores shaped like a normal distribution (its quantiles), rounded to 0.1. */
export function normalScores(n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, (_, i) => round1(mean + sd * normalQuantile((i + 0.5) / n)))
}

/** Right-skewed scores (exponential quantiles) within 0–100. */
export function skewedScores(n: number): number[] {
  return Array.from({ length: n }, (_, i) => round1(20 + 12 * -Math.log(1 - (i + 0.5) / n)))
}

/** 40 % at 100, the rest spread over 60–99. */
export function ceilingScores(n: number): number[] {
  const top = Math.round(n * 0.4)
  return Array.from({ length: n }, (_, i) =>
    i < top ? 100 : round1(60 + (39 * (i - top)) / (n - top)),
  )
}

/** The quiz classes of {@link SCHOOL}, by id. */
export const QUIZ_CLASSES = {
  'coh-normal-a': { grade: '07', scores: normalScores(30, 70, 10) },
  'coh-normal-b': { grade: '07', scores: normalScores(25, 62, 12) },
  'coh-small': { grade: '07', scores: [55, 61, 72, 80] },
  'coh-skewed': { grade: '08', scores: skewedScores(30) },
  'coh-ceiling': { grade: '08', scores: ceilingScores(30) },
  'coh-identical': { grade: '08', scores: Array.from({ length: 12 }, () => 75) },
} as const

export type QuizClass = keyof typeof QUIZ_CLASSES

/** Toddle class: 12 numeric grades, 3 blank, 2 NaN. */
export const TODDLE_CLASS = 'coh-toddle'
export const TODDLE_NUMERIC = normalScores(12, 5, 1)

/** A class of the other district. */
export const OTHER_CLASS = 'coh-other-class'
/** A class of the sibling school. */
export const SIBLING_CLASS = 'coh-sibling-class'

export interface CohortFixture {
  readonly course: string
  readonly teacher: string
  readonly student: string
  readonly schoolAdmin: string
  readonly siblingAdmin: string
  readonly otherAdmin: string
}

async function addUser(
  campus: TestCampus,
  id: string,
  orgId: string,
  role: CampusRole,
  grade: string | null,
): Promise<void> {
  const db = campus.database.db
  await db.insert(users).values({
    sourcedId: id,
    username: id,
    givenName: 'Test',
    familyName: id,
    email: `${id}@example.test`,
    grades: grade === null ? [] : [grade],
  })
  await db.insert(userRoles).values({
    sourcedId: `${id}-role`,
    userSourcedId: id,
    roleType: 'primary',
    role,
    orgSourcedId: orgId,
  })
}

async function addClass(campus: TestCampus, id: string, course: string, school: string) {
  await campus.database.db.insert(classes).values({
    sourcedId: id,
    title: `Class ${id}`,
    courseSourcedId: course,
    schoolSourcedId: school,
  })
}

async function enrol(
  campus: TestCampus,
  classId: string,
  school: string,
  userId: string,
  role: string,
) {
  await campus.database.db.insert(enrollments).values({
    sourcedId: `${classId}-${userId}`,
    classSourcedId: classId,
    schoolSourcedId: school,
    userSourcedId: userId,
    role,
  })
}

/** Writes the fixture (once per campus). */
export async function writeCohortFixture(campus: TestCampus): Promise<CohortFixture> {
  const db = campus.database.db
  const [course] = await db
    .select({ id: courses.sourcedId })
    .from(courses)
    .orderBy(asc(courses.sourcedId))
    .limit(1)
  const [resource] = await db
    .select({ id: resources.sourcedId })
    .from(resources)
    .orderBy(asc(resources.sourcedId))
    .limit(1)
  if (!course || !resource) throw new Error('the seed has no course or resource')
  // The seed's own learner activity would join these cohorts; the tests need scores of known
  // shape only, so the seeded scores go (the roster stays).
  await db.delete(practiceItemResponses)
  await db.delete(practiceAttempts)
  await db.delete(externalAssessmentScores)
  await db.delete(externalUsage)
  await db.delete(toddleTermGrades)
  await db.delete(toddleAttendance)
  await db.insert(orgs).values([
    { sourcedId: OTHER_DISTRICT, name: 'Other district', type: 'district' },
    {
      sourcedId: OTHER_SCHOOL,
      name: 'Other school',
      type: 'school',
      parentSourcedId: OTHER_DISTRICT,
    },
  ])
  const fixture: CohortFixture = {
    course: course.id,
    teacher: 'coh-teacher',
    student: 'coh-student',
    schoolAdmin: 'coh-admin',
    siblingAdmin: 'coh-sibling-admin',
    otherAdmin: 'coh-other-admin',
  }
  await addUser(campus, fixture.teacher, SCHOOL, 'teacher', null)
  await addUser(campus, fixture.student, SCHOOL, 'student', '07')
  await addUser(campus, fixture.schoolAdmin, SCHOOL, 'administrator', null)
  await addUser(campus, fixture.siblingAdmin, SIBLING_SCHOOL, 'administrator', null)
  await addUser(campus, fixture.otherAdmin, OTHER_SCHOOL, 'administrator', null)

  const base = Date.parse('2026-09-01T08:00:00Z')
  let attempt = 0
  for (const [classId, spec] of Object.entries(QUIZ_CLASSES)) {
    await addClass(campus, classId, course.id, SCHOOL)
    for (const [i, score] of spec.scores.entries()) {
      const learner = `${classId}-s${i}`
      await addUser(campus, learner, SCHOOL, 'student', spec.grade)
      await enrol(campus, classId, SCHOOL, learner, 'student')
      // Every learner's earlier attempt is worse, except the first of each class: 99 earlier,
      // so `pick=best` differs from `latest` in a known way.
      const earlier = i === 0 ? 99 : Math.max(0, score - 20)
      for (const [k, value] of [earlier, score].entries()) {
        attempt += 1
        const at = new Date(base + attempt * 60_000 + k * 86_400_000)
        await db.insert(practiceAttempts).values({
          orgSourcedId: SCHOOL,
          userSourcedId: learner,
          attemptToken: `coh-${attempt}`,
          resourceSourcedId: resource.id,
          resourceType: 'quiz',
          courseSourcedId: course.id,
          classSourcedId: classId,
          gradeLevel: spec.grade,
          seed: 's',
          startedAt: at,
          submittedAt: at,
          scoreRaw: Math.round(value),
          scoreMax: 100,
          scorePercent: value,
          passed: value >= 70,
        })
      }
    }
  }
  await enrol(campus, 'coh-normal-a', SCHOOL, fixture.teacher, 'teacher')

  const [run] = await db
    .insert(importRuns)
    .values({
      source: 'toddle-file',
      origin: 'test',
      via: 'test',
      status: 'succeeded',
      orgSourcedId: SCHOOL,
    })
    .returning({ id: importRuns.id })
  await addClass(campus, TODDLE_CLASS, course.id, SCHOOL)
  const toddle = [...TODDLE_NUMERIC, null, null, null, Number.NaN, Number.NaN]
  for (const [i, score] of toddle.entries()) {
    const learner = `${TODDLE_CLASS}-s${i}`
    await addUser(campus, learner, SCHOOL, 'student', '09')
    await db.insert(toddleTermGrades).values({
      orgSourcedId: SCHOOL,
      userSourcedId: learner,
      courseRef: 'tod-course',
      courseTitle: 'Toddle course',
      classSourcedId: TODDLE_CLASS,
      gradingPeriodRef: 'T1',
      gradingPeriodTitle: 'Term 1',
      academicYear: '2026-2027',
      score,
      importRunId: run!.id,
    })
  }

  // IXL levels for the grade-07 learners of the normal classes.
  const [ixlRun] = await db
    .insert(importRuns)
    .values({
      source: 'ixl-csv',
      origin: 'test',
      via: 'test',
      status: 'succeeded',
      orgSourcedId: SCHOOL,
    })
    .returning({ id: importRuns.id })
  for (const classId of ['coh-normal-a', 'coh-normal-b'] as const) {
    for (const [i, score] of QUIZ_CLASSES[classId].scores.entries()) {
      await db.insert(externalAssessmentScores).values({
        orgSourcedId: SCHOOL,
        userSourcedId: `${classId}-s${i}`,
        provider: 'ixl',
        assessment: 'diagnostic',
        subject: 'math',
        strand: 'overall',
        period: 'Fall 2026',
        gradeLevel: '07',
        level: Math.round(score * 10),
        importRunId: ixlRun!.id,
      })
    }
  }

  for (const [classId, school] of [
    [OTHER_CLASS, OTHER_SCHOOL],
    [SIBLING_CLASS, SIBLING_SCHOOL],
  ] as const) {
    await addClass(campus, classId, course.id, school)
  }
  return fixture
}

/** A session cookie for `userId` acting as `role` in `orgId`. */
export async function cookieFor(
  campus: TestCampus,
  userId: string,
  orgId: string,
  role: CampusRole,
): Promise<string> {
  const { token } = await campus.deps.auth.sessions.create({ userId, orgId, role })
  return `campus_session=${token}`
}
