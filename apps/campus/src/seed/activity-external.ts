/**
 * The imported part of a generated data set's activity: the import runs that "brought" it, IXL
 * diagnostic scores over two periods (fall and winter, so growth shows), and Toddle term grades
 * and whole-day attendance. Same rules as the generator: one seeded stream, fixed dates.
 *
 * @module
 */
import type { AssessmentTier, AttendanceStatus } from '../db/schema.js'
import type { Learner } from './activity.js'
import type { Dataset } from './dataset.js'
import { seedUuid } from './ids.js'
import type { Random } from './random.js'
import { DISTRICT_ID, TERMS } from './roster.js'

/** The two IXL diagnostic periods, in order. */
export const IXL_PERIODS = ['Fall 2026', 'Winter 2026'] as const
const IXL_SUBJECTS = ['math', 'ela'] as const
/** The Toddle grading period term grades are given for. */
export const TODDLE_PERIOD = { ref: 'gp-fall-2026', title: 'Fall 2026', year: '2026-2027' } as const

/** Import run ids, one per source the seed pretends to have imported. */
export const SEED_RUNS = {
  ixlFall: seedUuid(3, 1),
  ixlWinter: seedUuid(3, 2),
  toddle: seedUuid(3, 3),
} as const

interface ExternalOptions {
  learners: Map<string, Learner>
  attendanceDays: number
}

/** Adds import runs, IXL scores, Toddle term grades and attendance for every learner. */
export function addExternalActivity(data: Dataset, random: Random, options: ExternalOptions): void {
  addRuns(data)
  const learners = [...options.learners.values()]
  let scoreId = 0
  for (const learner of learners) {
    const gradeNumber = Number(learner.grade ?? '9') || 9
    for (const subject of IXL_SUBJECTS) {
      // Level 900 means ready for grade-9 skills; ability 0.8 is on grade.
      const fall = Math.round(
        gradeNumber * 100 + (learner.ability - 0.8) * 500 + random.int(-40, 40),
      )
      const growth = learner.behind ? random.int(-15, 35) : random.int(10, 90)
      IXL_PERIODS.forEach((period, i) => {
        const level = i === 0 ? fall : fall + growth
        data.externalAssessmentScores.push({
          id: seedUuid(4, ++scoreId),
          orgSourcedId: learner.schoolId,
          userSourcedId: learner.id,
          provider: 'ixl',
          assessment: 'diagnostic',
          subject,
          strand: 'overall',
          period,
          gradeLevel: learner.grade,
          level,
          percentile: Math.max(
            1,
            Math.min(99, Math.round(learner.ability * 100) + random.int(-8, 8) + i * 2),
          ),
          tier: tierOf(level, gradeNumber),
          score: null,
          scaleScore: null,
          importRunId: i === 0 ? SEED_RUNS.ixlFall : SEED_RUNS.ixlWinter,
        })
      })
    }
  }
  addTermGrades(data, random, options.learners)
  addAttendance(data, random, learners, options.attendanceDays)
}

function tierOf(level: number, grade: number): AssessmentTier {
  const diff = level - grade * 100
  if (diff < -150) return 'far-below'
  if (diff < -50) return 'below'
  if (diff < 100) return 'on'
  return 'above'
}

function addRuns(data: Dataset): void {
  const run = (id: string, source: 'ixl-csv' | 'toddle-api', origin: string, day: string) => {
    const startedAt = new Date(`${day}T07:00:00.000Z`)
    data.importRuns.push({
      id,
      orgSourcedId: DISTRICT_ID,
      source,
      origin,
      contentHash: null,
      startedBy: null,
      via: 'cli',
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 60_000),
      status: 'succeeded',
      filesTotal: 1,
      filesDone: 1,
    })
  }
  run(SEED_RUNS.ixlFall, 'ixl-csv', 'seed: ixl-diagnostic-fall.csv', '2026-09-20')
  run(SEED_RUNS.ixlWinter, 'ixl-csv', 'seed: ixl-diagnostic-winter.csv', '2026-11-25')
  run(SEED_RUNS.toddle, 'toddle-api', 'seed: toddle', '2026-11-28')
}

const LETTERS: readonly [number, string][] = [
  [90, 'A'],
  [80, 'B'],
  [70, 'C'],
  [60, 'D'],
  [0, 'F'],
]

/** A term grade per student enrollment, scored from the learner's ability. */
function addTermGrades(data: Dataset, random: Random, learners: Map<string, Learner>): void {
  const classes = new Map(data.classes.map((c) => [c.sourcedId, c]))
  let n = 0
  for (const e of data.enrollments) {
    const learner = e.role === 'student' ? learners.get(e.userSourcedId) : undefined
    const cls = classes.get(e.classSourcedId)
    if (!learner || !cls) continue
    const score = Math.max(
      20,
      Math.min(100, Math.round(learner.ability * 100 + random.int(-12, 8))),
    )
    data.toddleTermGrades.push({
      id: seedUuid(5, ++n),
      orgSourcedId: learner.schoolId,
      userSourcedId: learner.id,
      courseRef: cls.classCode ?? cls.sourcedId,
      courseTitle: cls.title,
      subject: cls.subjects?.[0] ?? null,
      classSourcedId: cls.sourcedId,
      gradingPeriodRef: TODDLE_PERIOD.ref,
      gradingPeriodTitle: TODDLE_PERIOD.title,
      academicYear: TODDLE_PERIOD.year,
      score,
      grade: LETTERS.find(([floor]) => score >= floor)?.[1] ?? 'F',
      comment: null,
      importRunId: SEED_RUNS.toddle,
    })
  }
}

/** The last `days` weekdays of the activity window, oldest first (YYYY-MM-DD). */
function schoolDays(days: number): string[] {
  const out: string[] = []
  const end = new Date(`${TERMS[0].start}T00:00:00.000Z`).getTime() + 102 * 86_400_000
  for (let t = end; out.length < days; t -= 86_400_000) {
    const weekday = new Date(t).getUTCDay()
    if (weekday !== 0 && weekday !== 6) out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out.reverse()
}

function addAttendance(
  data: Dataset,
  random: Random,
  learners: readonly Learner[],
  days: number,
): void {
  const dates = schoolDays(days)
  let n = 0
  for (const learner of learners) {
    const absent = learner.behind ? 0.12 : 0.04
    for (const date of dates) {
      const roll = random.next()
      const status: AttendanceStatus =
        roll < absent
          ? 'absent'
          : roll < absent + 0.04
            ? 'late'
            : roll < absent + 0.06
              ? 'excused'
              : 'present'
      data.toddleAttendance.push({
        id: seedUuid(6, ++n),
        orgSourcedId: learner.schoolId,
        userSourcedId: learner.id,
        date,
        courseRef: '',
        classSourcedId: null,
        status,
        importRunId: SEED_RUNS.toddle,
      })
    }
  }
}
