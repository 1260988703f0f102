/**
 * A group of learner rows in a few numbers: the totals line of a class report and each class's
 * cells in a grade report.
 *
 * @module
 */
import type { LearnerRow } from './class-data.js'

/** Aggregates of a group of learners. */
export interface GroupSummary {
  readonly learners: number
  readonly attempts: number
  /** Mean of the learners' mean scores (learners with attempts only); null without any. */
  readonly meanScore: number | null
  /** Attended marks over all marks, 0–1; null without marks. */
  readonly attendanceRate: number | null
  /** Mean IXL growth (latest − first level) per subject over learners with a level in it. */
  readonly ixlGrowth: Readonly<Record<string, number>>
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100
}

/** Summarises `rows`. */
export function summarize(rows: readonly LearnerRow[]): GroupSummary {
  const marks = rows.reduce(
    (acc, r) => ({
      attended: acc.attended + r.attendance.present + r.attendance.late,
      total: acc.total + r.attendance.total,
    }),
    { attended: 0, total: 0 },
  )
  const growth = new Map<string, number[]>()
  for (const r of rows) {
    for (const g of r.ixl) growth.set(g.subject, [...(growth.get(g.subject) ?? []), g.growth])
  }
  return {
    learners: rows.length,
    attempts: rows.reduce((n, r) => n + r.attempts, 0),
    meanScore: mean(rows.flatMap((r) => (r.meanScore === null ? [] : [r.meanScore]))),
    attendanceRate:
      marks.total === 0 ? null : Math.round((marks.attended / marks.total) * 100) / 100,
    ixlGrowth: Object.fromEntries(
      [...growth].sort(([a], [b]) => a.localeCompare(b)).map(([s, v]) => [s, mean(v) ?? 0]),
    ),
  }
}
