/**
 * Reports as CSV (`?format=csv`), one row per learner (class report) or class (grade report).
 * Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
 * carriage return) are prefixed with `'` (OWASP "CSV injection"); numbers are written as numbers.
 *
 * @module
 */
import { stringify } from 'csv-stringify/sync'
import type { ClassReport } from './class-report.js'
import type { GradeReport } from './grade-report.js'

/** `'`-prefixes a text cell a spreadsheet would evaluate. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

type CsvCell = string | number | null

function toCsv(header: readonly string[], rows: readonly CsvCell[][]): string {
  return stringify([[...header], ...rows], {
    cast: { string: neutraliseFormula },
    // Excel reads CRLF files; RFC 4180 asks for them.
    record_delimiter: 'windows',
  })
}

/** The subjects of a report's IXL columns, sorted. */
function subjectsOf(report: ClassReport): string[] {
  return [...new Set(report.learners.flatMap((l) => l.ixl.map((g) => g.subject)))].sort()
}

/** A class report as CSV. */
export function classReportCsv(report: ClassReport): string {
  const subjects = subjectsOf(report)
  const header = [
    'learner_id',
    'name',
    'attempts',
    'mean_score',
    'best_score',
    ...subjects.flatMap((s) => [`ixl_${s}_first`, `ixl_${s}_latest`, `ixl_${s}_growth`]),
    'term_grades',
    'present',
    'absent',
    'late',
    'excused',
    'attendance_rate',
  ]
  const rows = report.learners.map((l) => [
    l.id,
    l.name,
    l.attempts,
    l.meanScore,
    l.bestScore,
    ...subjects.flatMap((s) => {
      const g = l.ixl.find((x) => x.subject === s)
      return g ? [g.first, g.latest, g.growth] : [null, null, null]
    }),
    l.termGrades.map((g) => `${g.period} ${g.course}: ${g.grade ?? g.score ?? ''}`).join('; '),
    l.attendance.present,
    l.attendance.absent,
    l.attendance.late,
    l.attendance.excused,
    l.attendance.rate,
  ])
  return toCsv(header, rows)
}

/** A grade report as CSV; suppressed cells are empty and say why in `suppressed`. */
export function gradeReportCsv(report: GradeReport): string {
  const subjects = [
    ...new Set(report.classes.flatMap((c) => Object.keys(c.summary?.ixlGrowth ?? {}))),
  ].sort()
  const header = [
    'class_id',
    'title',
    'code',
    'learners',
    'suppressed',
    'attempts',
    'mean_score',
    'attendance_rate',
    ...subjects.map((s) => `ixl_${s}_growth`),
  ]
  const rows = report.classes.map((c) => [
    c.id,
    c.title,
    c.code,
    c.learners,
    c.suppressed === false ? '' : c.suppressed,
    c.summary?.attempts ?? null,
    c.summary?.meanScore ?? null,
    c.summary?.attendanceRate ?? null,
    ...subjects.map((s) => c.summary?.ixlGrowth[s] ?? null),
  ])
  return toCsv(header, rows)
}

/** A safe download name: letters, digits, `.`, `_`, `-` only. */
export function csvFileName(...parts: string[]): string {
  return `${parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-')}.csv`
}
