/**
 * Number and label formatting shared by the cohort pages.
 *
 * @module
 */
import type { CohortRef, ScoreQuery } from './params.js'

/** A number for a page: fixed decimals, or an en dash for none. */
export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  return value.toFixed(digits)
}

/** A p-value with its relation, as papers print it (`p = 0.042`, `p < 0.001`). */
export function fmtP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`
}

/** What the scores are, in one phrase (`latest quiz score (%)`). */
export function scoreLabel(q: ScoreQuery): string {
  if (q.score === 'quiz') return `${q.pick} quiz score (%)`
  if (q.score === 'ixl') return `IXL ${q.subject === 'ela' ? 'ELA' : 'math'} diagnostic level`
  return `${q.pick === 'best' ? 'best' : 'latest'} Toddle term grade`
}

/** Which score counts per learner, as one sentence for the page. */
export function scoreDefinition(q: ScoreQuery): string {
  const course = q.course === null ? 'any course' : `course ${q.course}`
  if (q.score === 'quiz') {
    return `One score per learner: the ${q.pick === 'best' ? 'highest' : 'most recent'} graded practice attempt (score in %) in ${course}.`
  }
  if (q.score === 'ixl') {
    return `One score per learner: the IXL diagnostic overall level in ${q.subject === 'ela' ? 'ELA' : 'math'}, ${q.period === null ? 'from the latest import' : `for ${q.period}`}.`
  }
  return `One score per learner: the ${q.pick === 'best' ? 'highest' : 'latest'} Toddle term grade in ${course}${q.period === null ? '' : `, grading period ${q.period}`}.`
}

/** The query string of a cohort page (`scope=…&id=…&score=…`), filters included. */
export function cohortQueryString(cohort: CohortRef, q: ScoreQuery): string {
  const params = new URLSearchParams({ scope: cohort.scope, id: cohort.id, score: q.score })
  appendFilters(params, q)
  return params.toString()
}

/** Adds the non-default filters of `q` to `params`. */
export function appendFilters(params: URLSearchParams, q: ScoreQuery): void {
  if (q.score !== 'ixl' && q.pick !== 'latest') params.set('pick', q.pick)
  if (q.course !== null) params.set('course', q.course)
  if (q.subject !== null) params.set('subject', q.subject)
  if (q.period !== null) params.set('period', q.period)
}
