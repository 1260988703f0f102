/**
 * Two independent samples: Welch's t test (unequal variances, Welch–Satterthwaite df) and Hedges'
 * g with its approximate 95 % CI. Definitions in docs/analytics.md ("Statistics").
 *
 * @module
 */
import { mean, sampleVariance } from 'simple-statistics'
import { normalQuantile, tQuantile, tTwoSided } from './distributions.js'
import { assertFinite, StatsError } from './errors.js'

/** Result of {@link welchTTest}: mean(a) − mean(b), its t, df, two-sided p and 95 % CI. */
export interface WelchResult {
  t: number
  df: number
  p: number
  meanDiff: number
  diffCi95: readonly [number, number]
}

/** Result of {@link hedgesG}. */
export interface HedgesG {
  g: number
  ci95: readonly [number, number]
}

interface Moments {
  n: number
  mean: number
  variance: number
}

function moments(values: readonly number[], what: string): Moments {
  assertFinite(values, what)
  if (values.length < 2) {
    throw new StatsError('E_STATS_RANGE', `${what} needs at least 2 values (n = ${values.length})`)
  }
  const flat = values.every((v) => v === values[0])
  return {
    n: values.length,
    mean: flat ? values[0]! : mean(values),
    variance: flat ? 0 : sampleVariance(values),
  }
}

/**
 * Welch's two-sample t test of mean(a) = mean(b), two-sided. Throws `E_STATS_RANGE` when a or b
 * has fewer than 2 values or both have sd 0.
 * @example welchTTest([1, 3], [4, 6]) // t = −2.1213, df = 2, p = 0.168
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  const x = moments(a, 'a')
  const y = moments(b, 'b')
  const va = x.variance / x.n
  const vb = y.variance / y.n
  const se2 = va + vb
  if (se2 === 0) throw new StatsError('E_STATS_RANGE', 'Welch t: both samples have sd 0')
  const se = Math.sqrt(se2)
  const diff = x.mean - y.mean
  const t = diff / se
  // Welch–Satterthwaite: (va + vb)² / (va²/(na − 1) + vb²/(nb − 1)).
  const df = (se2 * se2) / ((va * va) / (x.n - 1) + (vb * vb) / (y.n - 1))
  const half = tQuantile(0.975, df) * se
  return { t, df, p: tTwoSided(t, df), meanDiff: diff, diffCi95: [diff - half, diff + half] }
}

/**
 * Hedges' g = J · (mean(a) − mean(b)) / s_pooled with J = 1 − 3/(4(na + nb − 2) − 1), and the
 * normal-approximation 95 % CI g ± 1.96 · √V_g, V_g = J² · ((na + nb)/(na·nb) + d²/(2(na + nb)))
 * (Hedges & Olkin 1985; as in Borenstein et al., Introduction to Meta-Analysis, ch. 4). Throws
 * `E_STATS_RANGE` when a or b has fewer than 2 values or the pooled sd is 0.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): HedgesG {
  const x = moments(a, 'a')
  const y = moments(b, 'b')
  const df = x.n + y.n - 2
  const pooled = Math.sqrt(((x.n - 1) * x.variance + (y.n - 1) * y.variance) / df)
  if (pooled === 0) throw new StatsError('E_STATS_RANGE', "Hedges' g: pooled sd is 0")
  const d = (x.mean - y.mean) / pooled
  const j = 1 - 3 / (4 * df - 1)
  const g = j * d
  const vd = (x.n + y.n) / (x.n * y.n) + (d * d) / (2 * (x.n + y.n))
  const half = normalQuantile(0.975) * j * Math.sqrt(vd)
  return { g, ci95: [g - half, g + half] }
}
