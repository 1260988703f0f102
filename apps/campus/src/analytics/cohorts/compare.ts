/**
 * Two cohorts side by side: each one's report, and when both have statistics, Welch's t-test
 * (Welch–Satterthwaite df) on their means and Hedges' g with its confidence interval. A
 * suppressed cohort hides the comparison too: a difference of means with one side known
 * reveals the other.
 *
 * @module
 */
import { type HedgesG, hedgesG, type WelchResult, welchTTest } from '../stats/index.js'
import type { CohortReport } from './report.js'

/** The comparison page's numbers. */
export interface Comparison {
  readonly a: CohortReport
  readonly b: CohortReport
  readonly welch: WelchResult | null
  readonly hedges: HedgesG | null
  /** Why there is no test (one side suppressed or without statistics), or null. */
  readonly reason: string | null
  /** Plain sentences qualifying the test (non-normal data, bounded scales). */
  readonly notes: readonly string[]
}

/** Compares two cohorts' reports over their numeric values. */
export function buildComparison(
  a: CohortReport,
  valuesA: readonly number[],
  b: CohortReport,
  valuesB: readonly number[],
): Comparison {
  const blocked = [a, b].find((r) => r.state !== 'ok')
  if (blocked) {
    const reason =
      blocked.state === 'suppressed'
        ? `${blocked.cohort.label} has fewer than ${blocked.minCohortSize} scores, so no comparison is shown.`
        : `${blocked.cohort.label} has no statistics to compare (${blocked.message})`
    return { a, b, welch: null, hedges: null, reason, notes: [] }
  }
  const notes: string[] = []
  const nonNormal = [a, b].filter((r) => r.stats?.validity.leadWith === 'median')
  if (nonNormal.length > 0) {
    notes.push(
      `${nonNormal.map((r) => r.cohort.label).join(' and ')}: not normally distributed or small, so compare the medians and the distributions as well as the means; Welch's test is still reasonable for larger samples.`,
    )
  }
  if (a.scale) {
    notes.push(
      `Scores are bounded (${a.scale.min} to ${a.scale.max}); near a bound, differences of means understate differences between learners.`,
    )
  }
  return {
    a,
    b,
    welch: welchTTest(valuesA, valuesB),
    hedges: hedgesG(valuesA, valuesB),
    reason: null,
    notes,
  }
}
