/**
 * The distribution functions the statistics need, from jStat: Student t CDF and quantile, normal
 * CDF, quantile and density. One place so every statistic uses the same implementation (and the
 * tests check them against closed forms once).
 *
 * @module
 */
import jStat from 'jstat'

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function tCdf(t: number, df: number): number {
  return jStat.studentt.cdf(t, df)
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df)
}

/** The p-quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1)
}

/** P(Z ≤ z) for a normal distribution with this mean and sd (standard by default). */
export function normalCdf(z: number, mean = 0, sd = 1): number {
  return jStat.normal.cdf(z, mean, sd)
}

/** The normal density at x. */
export function normalPdf(x: number, mean: number, sd: number): number {
  return jStat.normal.pdf(x, mean, sd)
}

/** Two-sided p-value of a t statistic. */
export function tTwoSided(t: number, df: number): number {
  // 2·P(T ≤ −|t|) rather than 2·(1 − P(T ≤ |t|)): no cancellation for large |t|.
  return Math.min(1, 2 * tCdf(-Math.abs(t), df))
}
