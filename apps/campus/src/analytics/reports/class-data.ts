/**
 * What a report reads for a set of classes, in five grouped queries (roster, practice, IXL,
 * Toddle term grades, attendance), each on an index that starts with the class or the learner
 * (docs/data-model.md), and combined per learner. Class reports read one class; grade reports
 * all classes of a grade level at once.
 *
 * @module
 */
import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import {
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  enrollments,
  externalAssessmentScores,
  importRuns,
  practiceAttempts,
  toddleAttendance,
  toddleTermGrades,
  users,
} from '../../db/schema.js'
import type { Dimension } from './dimension.js'
import { type Growth, growthByLearner } from './ixl-growth.js'

/** Attendance marks of a learner and the share they attended (present or late). */
export interface AttendanceSummary {
  readonly present: number
  readonly absent: number
  readonly late: number
  readonly excused: number
  readonly total: number
  /** (present + late) / total, 0–1; null without marks. */
  readonly rate: number | null
}

/** One learner's row of a class report. */
export interface LearnerRow {
  readonly id: string
  readonly name: string
  readonly attempts: number
  /** Mean and best `score_percent` of their graded attempts; null without attempts. */
  readonly meanScore: number | null
  readonly bestScore: number | null
  readonly ixl: readonly Growth[]
  readonly termGrades: readonly {
    period: string
    course: string
    score: number | null
    grade: string | null
  }[]
  readonly attendance: AttendanceSummary
}

/** Rounds to two decimals (scores are stored with two). */
function round2(value: number): number {
  return Math.round(value * 100) / 100
}

function emptyAttendance(): Record<AttendanceStatus, number> {
  return { present: 0, absent: 0, late: 0, excused: 0 }
}

/** Sums marks into an {@link AttendanceSummary}. */
export function attendanceSummary(marks: Record<AttendanceStatus, number>): AttendanceSummary {
  const total = marks.present + marks.absent + marks.late + marks.excused
  return {
    ...marks,
    total,
    rate: total === 0 ? null : round2((marks.present + marks.late) / total),
  }
}

/** `column` within the dimension's dates (inclusive), or no condition. */
function within(column: SQL, dimension: Dimension): SQL | undefined {
  if (dimension.from === null || dimension.to === null) return undefined
  return sql`${column} >= ${dimension.from}::date and ${column} < ${dimension.to}::date + 1`
}

/** Learner rows per class id, learners by family name. */
export async function loadClassRows(
  db: Database,
  classIds: readonly string[],
  orgIds: readonly string[],
  dimension: Dimension,
): Promise<Map<string, LearnerRow[]>> {
  const ids = [...classIds]
  const out = new Map<string, LearnerRow[]>(ids.map((id) => [id, []]))
  if (ids.length === 0 || orgIds.length === 0) return out
  const learnersOfClasses = db
    .select({ id: enrollments.userSourcedId })
    .from(enrollments)
    .where(
      and(
        inArray(enrollments.classSourcedId, ids),
        eq(enrollments.role, 'student'),
        eq(enrollments.status, 'active'),
      ),
    )
  const [roster, attempts, levels, grades, marks] = await Promise.all([
    db
      .selectDistinct({
        classId: enrollments.classSourcedId,
        id: users.sourcedId,
        given: users.givenName,
        preferred: users.preferredFirstName,
        family: users.familyName,
      })
      .from(enrollments)
      .innerJoin(users, eq(users.sourcedId, enrollments.userSourcedId))
      .where(
        and(
          inArray(enrollments.classSourcedId, ids),
          eq(enrollments.role, 'student'),
          eq(enrollments.status, 'active'),
        ),
      )
      .orderBy(asc(users.familyName), asc(users.givenName), asc(users.sourcedId)),
    db
      .select({
        classId: practiceAttempts.classSourcedId,
        userId: practiceAttempts.userSourcedId,
        count: sql<number>`count(*)::int`,
        mean: sql<number>`avg(${practiceAttempts.scorePercent})::float8`,
        best: sql<number>`max(${practiceAttempts.scorePercent})::float8`,
      })
      .from(practiceAttempts)
      .where(
        and(
          inArray(practiceAttempts.classSourcedId, ids),
          within(sql`${practiceAttempts.submittedAt}`, dimension),
        ),
      )
      .groupBy(practiceAttempts.classSourcedId, practiceAttempts.userSourcedId),
    db
      .select({
        userId: externalAssessmentScores.userSourcedId,
        subject: externalAssessmentScores.subject,
        period: externalAssessmentScores.period,
        level: externalAssessmentScores.level,
        importedAt: sql<string>`to_char(${importRuns.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`,
      })
      .from(externalAssessmentScores)
      .innerJoin(importRuns, eq(importRuns.id, externalAssessmentScores.importRunId))
      .where(
        and(
          inArray(externalAssessmentScores.userSourcedId, learnersOfClasses),
          inArray(externalAssessmentScores.orgSourcedId, [...orgIds]),
          eq(externalAssessmentScores.provider, 'ixl'),
          eq(externalAssessmentScores.assessment, 'diagnostic'),
          eq(externalAssessmentScores.strand, 'overall'),
          isNotNull(externalAssessmentScores.level),
        ),
      ),
    db
      .select({
        classId: toddleTermGrades.classSourcedId,
        userId: toddleTermGrades.userSourcedId,
        period: toddleTermGrades.gradingPeriodTitle,
        course: toddleTermGrades.courseTitle,
        score: toddleTermGrades.score,
        grade: toddleTermGrades.grade,
      })
      .from(toddleTermGrades)
      .where(
        and(
          inArray(toddleTermGrades.classSourcedId, ids),
          inArray(toddleTermGrades.orgSourcedId, [...orgIds]),
          dimension.term
            ? eq(toddleTermGrades.gradingPeriodTitle, dimension.term.title)
            : undefined,
          dimension.year ? eq(toddleTermGrades.academicYear, dimension.year.title) : undefined,
        ),
      )
      .orderBy(asc(toddleTermGrades.gradingPeriodTitle), asc(toddleTermGrades.courseTitle)),
    db
      .select({
        classId: toddleAttendance.classSourcedId,
        userId: toddleAttendance.userSourcedId,
        status: toddleAttendance.status,
        count: sql<number>`count(*)::int`,
      })
      .from(toddleAttendance)
      .where(
        and(
          inArray(toddleAttendance.classSourcedId, ids),
          inArray(toddleAttendance.orgSourcedId, [...orgIds]),
          within(sql`${toddleAttendance.date}`, dimension),
        ),
      )
      .groupBy(
        toddleAttendance.classSourcedId,
        toddleAttendance.userSourcedId,
        toddleAttendance.status,
      ),
  ])
  const growth = growthByLearner(
    levels.flatMap((l) => (l.level === null ? [] : [{ ...l, level: l.level }])),
    dimension.from,
    dimension.to,
  )
  const at = (classId: string | null, userId: string) => `${classId}\u0000${userId}`
  const attemptsOf = new Map(attempts.map((a) => [at(a.classId, a.userId), a]))
  const gradesOf = new Map<string, LearnerRow['termGrades'][number][]>()
  for (const g of grades) {
    const key = at(g.classId, g.userId)
    gradesOf.set(key, [
      ...(gradesOf.get(key) ?? []),
      { period: g.period, course: g.course, score: g.score, grade: g.grade },
    ])
  }
  const marksOf = new Map<string, Record<AttendanceStatus, number>>()
  for (const m of marks) {
    if (!(ATTENDANCE_STATUSES as readonly string[]).includes(m.status)) continue
    const key = at(m.classId, m.userId)
    const sums = marksOf.get(key) ?? emptyAttendance()
    sums[m.status] += m.count
    marksOf.set(key, sums)
  }
  for (const r of roster) {
    const key = at(r.classId, r.id)
    const a = attemptsOf.get(key)
    out.get(r.classId)?.push({
      id: r.id,
      name: `${r.preferred ?? r.given} ${r.family}`,
      attempts: a?.count ?? 0,
      meanScore: a ? round2(a.mean) : null,
      bestScore: a ? round2(a.best) : null,
      ixl: growth.get(r.id) ?? [],
      termGrades: gradesOf.get(key) ?? [],
      attendance: attendanceSummary(marksOf.get(key) ?? emptyAttendance()),
    })
  }
  return out
}
