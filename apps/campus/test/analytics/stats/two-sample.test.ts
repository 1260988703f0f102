import { describe, expect, it } from 'vitest'
import { hedgesG, StatsError, welchTTest } from '../../../src/analytics/stats/index.js'

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (err) {
    return err instanceof StatsError ? err.code : 'not a StatsError'
  }
  return undefined
}

const variance = (x: readonly number[]) => {
  const m = x.reduce((a, b) => a + b) / x.length
  return x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1)
}

/** x rescaled to exactly this mean and sample sd. */
function withMoments(x: readonly number[], mean: number, sd: number): number[] {
  const m = x.reduce((a, b) => a + b) / x.length
  const s = Math.sqrt(variance(x))
  return x.map((v) => mean + (sd * (v - m)) / s)
}

describe('welchTTest', () => {
  it('equal n and variances give df = 2(n − 1); df = 2 has a closed-form t distribution', () => {
    const r = welchTTest([1, 3], [4, 6])
    // Means 2 and 5, variances 2 and 2: se = √(2/2 + 2/2) = √2, t = −3/√2.
    const t = -3 / Math.SQRT2
    expect(r.t).toBeCloseTo(t, 12)
    expect(r.df).toBeCloseTo(2, 12)
    expect(r.meanDiff).toBe(-3)
    // df = 2: P(|T| > |t|) = 1 − |t|/√(2 + t²); t(0.975, 2) = 0.95·√(2/(1 − 0.95²)).
    expect(r.p).toBeCloseTo(1 - Math.abs(t) / Math.sqrt(2 + t * t), 8)
    const q = 0.95 * Math.sqrt(2 / (1 - 0.95 ** 2))
    expect(r.diffCi95[0]).toBeCloseTo(-3 - q * Math.SQRT2, 6)
    expect(r.diffCi95[1]).toBeCloseTo(-3 + q * Math.SQRT2, 6)
  })

  it('unequal variances and sizes: Welch–Satterthwaite df by the formula, p and CI from SciPy', () => {
    const a = [12.1, 14.3, 11.8, 15.2, 13.9, 12.7, 14.8]
    const b = [10.2, 9.8, 16.1, 8.7, 13.5, 11.0, 7.9, 12.4, 9.1, 10.6]
    const r = welchTTest(a, b)
    const va = variance(a) / a.length
    const vb = variance(b) / b.length
    const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
    expect(r.df).toBeCloseTo(df, 10)
    // SciPy 1.17.1 ttest_ind(a, b, equal_var=False): t = 2.803313, df = 14.371633,
    // p = 0.0138079, confidence_interval() = (0.618625, 4.607089).
    expect(r.t).toBeCloseTo(2.803313, 5)
    expect(r.df).toBeCloseTo(14.371633, 5)
    expect(r.p).toBeCloseTo(0.0138079, 6)
    expect(r.diffCi95[0]).toBeCloseTo(0.618625, 5)
    expect(r.diffCi95[1]).toBeCloseTo(4.607089, 5)
  })

  it('one flat sample is fine; both flat, or n < 2, is E_STATS_RANGE; NaN is E_STATS_INPUT', () => {
    expect(welchTTest([5, 5, 5], [1, 2, 3]).df).toBeCloseTo(2, 12)
    expect(code(() => welchTTest([5, 5], [3, 3]))).toBe('E_STATS_RANGE')
    expect(code(() => welchTTest([5], [3, 4]))).toBe('E_STATS_RANGE')
    expect(code(() => welchTTest([1, 2], []))).toBe('E_STATS_RANGE')
    expect(code(() => welchTTest([1, Number.NaN], [3, 4]))).toBe('E_STATS_INPUT')
  })
})

describe('hedgesG', () => {
  it("matches Borenstein et al.'s worked example (means 103/100, sd 5.5/4.5, n 50/50)", () => {
    // Introduction to Meta-Analysis (2009), ch. 4: d = 0.5970, J = 0.9923, g = 0.5924,
    // V_g = 0.0411, SE_g = 0.2028. Samples built with exactly those moments.
    const base = Array.from({ length: 50 }, (_, i) => Math.sin(i + 1) + i / 10)
    const a = withMoments(base, 103, 5.5)
    const b = withMoments(
      base.map((v) => v * v),
      100,
      4.5,
    )
    const r = hedgesG(a, b)
    expect(r.g).toBeCloseTo(0.5924, 4)
    const se = (r.ci95[1] - r.ci95[0]) / (2 * 1.959964)
    expect(se).toBeCloseTo(0.2028, 4)
    expect((r.ci95[0] + r.ci95[1]) / 2).toBeCloseTo(r.g, 12)
  })

  it('is antisymmetric and independent of location', () => {
    const a = [3, 5, 6, 9]
    const b = [1, 2, 2, 4, 6]
    const ab = hedgesG(a, b)
    const ba = hedgesG(
      b.map((v) => v + 100),
      a.map((v) => v + 100),
    )
    expect(ba.g).toBeCloseTo(-ab.g, 12)
    expect(ba.ci95[0]).toBeCloseTo(-ab.ci95[1], 12)
  })

  it('pooled sd 0 or n < 2 → E_STATS_RANGE', () => {
    expect(code(() => hedgesG([2, 2], [3, 3, 3]))).toBe('E_STATS_RANGE')
    expect(code(() => hedgesG([2], [3, 4]))).toBe('E_STATS_RANGE')
    expect(code(() => hedgesG([2, Number.POSITIVE_INFINITY], [3, 4]))).toBe('E_STATS_INPUT')
  })
})
