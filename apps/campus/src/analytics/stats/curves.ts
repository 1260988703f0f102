/**
 * Smooth curves drawn over a histogram: a Gaussian kernel density estimate and a fitted normal
 * density, plus normal Q–Q points.
 *
 * @module
 */
import { quantileSorted, sampleStandardDeviation } from 'simple-statistics'
import { normalPdf, normalQuantile } from './distributions.js'
import { assertFinite, StatsError, sortedCopy } from './errors.js'

/** A curve as parallel x and y arrays. */
export interface Curve {
  x: number[]
  y: number[]
}

/** One point of a normal Q–Q plot. */
export interface QQPoint {
  theoretical: number
  sample: number
}

function grid(from: number, to: number, points: number): number[] {
  if (!Number.isInteger(points) || points < 2) {
    throw new StatsError(
      'E_STATS_RANGE',
      `a curve needs an integer number of points ≥ 2 (${points})`,
    )
  }
  const step = (to - from) / (points - 1)
  return Array.from({ length: points }, (_, i) => (i === points - 1 ? to : from + i * step))
}

/**
 * Gaussian KDE with Silverman's rule of thumb h = 0.9 · min(s, IQR/1.34) · n^(−1/5) (s alone when
 * the IQR is 0), evaluated on `points` x values over [min − 3h, max + 3h] so the tails are whole
 * and the curve integrates to ≈ 1. Null when n < 2 or sd = 0.
 */
export function kernelDensity(
  values: readonly number[],
  points = 128,
): (Curve & { bandwidth: number }) | null {
  assertFinite(values)
  const n = values.length
  if (n < 2) return null
  const x = sortedCopy(values)
  if (x[0] === x[n - 1]) return null
  const sd = sampleStandardDeviation(x)
  const iqr = quantileSorted(x, 0.75) - quantileSorted(x, 0.25)
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd
  const bandwidth = 0.9 * spread * n ** (-1 / 5)
  const xs = grid(x[0]! - 3 * bandwidth, x[n - 1]! + 3 * bandwidth, points)
  const norm = 1 / (n * bandwidth * Math.sqrt(2 * Math.PI))
  const ys = xs.map((at) => {
    let s = 0
    for (const v of x) {
      const u = (at - v) / bandwidth
      s += Math.exp(-0.5 * u * u)
    }
    return s * norm
  })
  return { x: xs, y: ys, bandwidth }
}

/**
 * The normal density N(mean, sd²) on `points` x values over `range`, times `scale` — pass
 * n · binWidth to draw it in histogram counts. Throws `E_STATS_RANGE` when sd ≤ 0.
 */
export function normalCurve(
  mean: number,
  sd: number,
  range: readonly [number, number],
  scale: number,
  points = 100,
): Curve {
  assertFinite([mean, sd, range[0], range[1], scale], 'normalCurve arguments')
  if (sd <= 0) throw new StatsError('E_STATS_RANGE', `normalCurve needs sd > 0 (sd = ${sd})`)
  const xs = grid(range[0], range[1], points)
  return { x: xs, y: xs.map((v) => scale * normalPdf(v, mean, sd)) }
}

/**
 * Normal Q–Q points: sorted values against Φ⁻¹((i − 3/8)/(n + 1/4)) (Blom's plotting positions),
 * i = 1..n. Empty for no values.
 */
export function qqPoints(values: readonly number[]): QQPoint[] {
  assertFinite(values)
  const x = sortedCopy(values)
  const n = x.length
  return x.map((sample, i) => ({
    theoretical: normalQuantile((i + 1 - 0.375) / (n + 0.25)),
    sample,
  }))
}
