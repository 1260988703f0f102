/**
 * The report builder on the edge cases a page must survive: no scores, one, two, all equal,
 * blanks only, and a threshold hiding everything. None produces a chart, statistics or a
 * non-finite number.
 */
import { describe, expect, it } from 'vitest'
import type { ResolvedCohort } from '../../../src/analytics/cohorts/access.js'
import type { ScoreQuery } from '../../../src/analytics/cohorts/params.js'
import type { Observation } from '../../../src/analytics/cohorts/queries.js'
import { buildCohortReport } from '../../../src/analytics/cohorts/report.js'

const cohort: ResolvedCohort = { scope: 'school', id: 's', label: 'School' }
const quiz: ScoreQuery = {
  score: 'quiz',
  pick: 'latest',
  course: null,
  subject: null,
  period: null,
}

function data(values: (number | null)[]) {
  const observations = values.map((v, i): Observation => [v, `c${i % 2}`, '07', 's'])
  return { observations, labels: {} }
}

/** minN 1: nothing is suppressed, so the data states themselves are reached. */
const build = (values: (number | null)[], minN = 1) =>
  buildCohortReport(cohort, quiz, data(values), 'class', minN)

describe('buildCohortReport edge cases', () => {
  it.each([
    [[], 'no-data', 0],
    [[42], 'not-enough-data', 1],
    [[42, 43], 'not-enough-data', 2],
    [[null, null, null], 'no-data', 0],
    [[50, 50, 50, 50, 50], 'identical', 5],
    [[null, 70, null, 70, 70], 'identical', 3],
  ] as const)('%j → %s', (values, state, n) => {
    const report = build([...values])
    expect(report.state).toBe(state)
    expect(report.n).toBe(n)
    expect(report.stats).toBeNull()
    expect(report.message).toMatch(/^Not enough data/)
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/)
  })

  it('counts blanks as missing and describes the rest', () => {
    const report = build([null, 10, 20, 35, 40, null])
    expect(report).toMatchObject({ state: 'ok', n: 4, missing: 2 })
    expect(report.stats?.summary.mean).toBe(26.25)
  })

  it('hides everything below the threshold, even n and the missing count', () => {
    const report = build([null, 10, 20, 30], 10)
    expect(report).toMatchObject({ state: 'suppressed', n: null, missing: null, stats: null })
    expect(report.groups).toEqual([])
  })
})
