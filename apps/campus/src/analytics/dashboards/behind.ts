/**
 * Who is behind, the rule of the teacher's dashboard. A learner of a class is behind when
 *
 * 1. their recent scores are low: the mean of their last {@link RECENT_ATTEMPTS} attempts in the
 *    class is below {@link LOW_SCORE_PERCENT} %, or
 * 2. their progress lags the class: they passed fewer than {@link PROGRESS_SHARE} of the
 *    practice resources the class's median learner passed (a learner without any attempt
 *    counts as zero progress).
 *
 * A class where the median learner passed nothing flags nobody by rule 2. Pure, so the rule is
 * tested without a database.
 *
 * @module
 */

/** Attempts that count as "recent". */
export const RECENT_ATTEMPTS = 5
/** Recent mean below this is low. */
export const LOW_SCORE_PERCENT = 60
/** Progress below this share of the class median lags. */
export const PROGRESS_SHARE = 0.5

/** One learner's figures in one class. */
export interface LearnerFigures {
  attempts: number
  /** Mean of the last {@link RECENT_ATTEMPTS} attempts, null without attempts. */
  recentMean: number | null
  /** Distinct practice resources passed. */
  passed: number
}

/** Why a learner is behind (empty when they are not). */
export type BehindReason = 'low-recent-scores' | 'progress-below-class'

/** The median of `values` (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * The reasons `learner` is behind in a class whose median progress is `classMedianPassed`.
 *
 * @example behindReasons({ attempts: 5, recentMean: 40, passed: 3 }, 4) // ['low-recent-scores']
 */
export function behindReasons(learner: LearnerFigures, classMedianPassed: number): BehindReason[] {
  const reasons: BehindReason[] = []
  if (learner.recentMean !== null && learner.recentMean < LOW_SCORE_PERCENT) {
    reasons.push('low-recent-scores')
  }
  if (classMedianPassed > 0 && learner.passed < classMedianPassed * PROGRESS_SHARE) {
    reasons.push('progress-below-class')
  }
  return reasons
}
