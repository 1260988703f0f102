/**
 * Descriptive summary of one sample: mean with a t-based 95 % CI, sample sd, R type 7 quantiles,
 * sample skewness and excess kurtosis. Definitions in docs/analytics.md ("Statistics").
 *
 * @module
 */
import {
  mean,
  quantileSorted,
  sampleKurtosis,
  sampleSkewness,
  sampleStandardDeviation,
} from 'simple-statistics'
import { tQuantile } from './distributions.js'
import { assertFinite, sortedCopy } from './errors.js'

/** The summary of one sample; see {@link summarize}. */
export interface Summary {
  n: number
  mean: number
  /** Sample standard deviation (divisor n − 1); null when n < 2. */
  sd: number | null
  /** mean ± t(0.975, n − 1) · sd / √n; null when n < 2 or sd = 0. */
  meanCi95: readonly [number, number] | null
  median: number
  /** Quartiles by R's type 7 (linear interpolation between order statistics, index (n − 1)p). */
  q1: number
  q3: number
  iqr: number
  min: number
  max: number
  /** Adjusted Fisher–Pearson G1 = n/((n−1)(n−2)) · Σ(x−x̄)³/s³; null when n < 3 or sd = 0. */
  skewness: number | null
  /** Sample excess kurtosis G2 (bias-corrected, as SAS/SPSS/Excel KURT); null when n < 4 or sd = 0. */
  excessKurtosis: number | null
  percentiles: {
    p5: number
    p10: number
    p25: number
    p50: number
    p75: number
    p90: number
    p95: number
  }
}

/**
 * Summarizes finite values; null when there are none. Throws `E_STATS_INPUT` on NaN/±Infinity.
 * @example summarize([1, 2, 3, 4])?.median // 2.5
 */
export function summarize(values: readonly number[]): Summary | null {
  assertFinite(values)
  const n = values.length
  if (n === 0) return null
  const sorted = sortedCopy(values)
  // simple-statistics' quantileSorted is R type 7 (index (n − 1)p, linear interpolation).
  const q = (p: number) => quantileSorted(sorted, p)
  // Identical values are exactly flat: rounding in Σx/n must not invent a tiny sd.
  const flat = sorted[0] === sorted[n - 1]
  const m = flat ? sorted[0]! : mean(sorted)
  const sd = n < 2 ? null : flat ? 0 : sampleStandardDeviation(sorted)
  const spread = sd !== null && sd > 0
  const half = spread ? tQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : 0
  const q1 = q(0.25)
  const q3 = q(0.75)
  return {
    n,
    mean: m,
    sd,
    meanCi95: spread ? [m - half, m + half] : null,
    median: q(0.5),
    q1,
    q3,
    iqr: q3 - q1,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    skewness: spread && n >= 3 ? sampleSkewness(sorted) : null,
    excessKurtosis: spread && n >= 4 ? sampleKurtosis(sorted) : null,
    percentiles: {
      p5: q(0.05),
      p10: q(0.1),
      p25: q1,
      p50: q(0.5),
      p75: q3,
      p90: q(0.9),
      p95: q(0.95),
    },
  }
}
