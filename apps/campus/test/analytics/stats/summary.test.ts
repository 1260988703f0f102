import { describe, expect, it } from 'vitest'
import { StatsError, summarize } from '../../../src/analytics/stats/index.js'

describe('summarize', () => {
  it('n = 0 → null; non-finite → E_STATS_INPUT', () => {
    expect(summarize([])).toBeNull()
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => summarize([1, bad])).toThrow(StatsError)
      try {
        summarize([1, bad])
      } catch (err) {
        expect((err as StatsError).code).toBe('E_STATS_INPUT')
      }
    }
  })

  it('quantiles are R type 7: quantile(1:10) = 1, 3.25, 5.5, 7.75, 10 (R documentation)', () => {
    const s = summarize([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])!
    expect([s.min, s.q1, s.median, s.q3, s.max]).toEqual([1, 3.25, 5.5, 7.75, 10])
    expect(s.iqr).toBe(4.5)
    // Type 7 by hand: h = (n − 1)p; p = 0.05 → h = 0.45 → 1 + 0.45 · (2 − 1).
    expect(s.percentiles.p5).toBeCloseTo(1.45, 12)
    expect(s.percentiles.p95).toBeCloseTo(9.55, 12)
  })

  it('n = 1: mean = median = the value, no sd, CI, skewness or kurtosis', () => {
    const s = summarize([7])!
    expect(s).toMatchObject({ n: 1, mean: 7, median: 7, sd: null, meanCi95: null, skewness: null })
    expect(s.excessKurtosis).toBeNull()
    expect(s.percentiles.p5).toBe(7)
  })

  it('n = 2: sd and CI but no skewness', () => {
    const s = summarize([1, 3])!
    expect(s.sd).toBeCloseTo(Math.SQRT2, 12)
    // t(0.975, 1) = tan(π · 0.475) (the Cauchy quantile), half width = t · sd / √2.
    const half = Math.tan(Math.PI * 0.475) * 1
    expect(s.meanCi95![0]).toBeCloseTo(2 - half, 8)
    expect(s.skewness).toBeNull()
  })

  it('mean CI uses the t quantile (df = 2 closed form)', () => {
    const s = summarize([1, 2, 6])!
    // df = 2: t_p = (2p − 1)·√(2 / (1 − (2p − 1)²)); p = 0.975 → 0.95·√(2/0.0975).
    const t = 0.95 * Math.sqrt(2 / (1 - 0.95 ** 2))
    expect(t).toBeCloseTo(4.302653, 5)
    const sd = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + (6 - 3) ** 2) / 2)
    expect(s.sd).toBeCloseTo(sd, 12)
    expect(s.meanCi95![0]).toBeCloseTo(3 - (t * sd) / Math.sqrt(3), 8)
    expect(s.meanCi95![1]).toBeCloseTo(3 + (t * sd) / Math.sqrt(3), 8)
  })

  it('skewness is the adjusted Fisher–Pearson G1, kurtosis the bias-corrected excess G2', () => {
    const x = [2, 3, 3, 5, 8, 13, 21]
    const s = summarize(x)!
    // Independent computation from the definitions with biased moments m2, m3, m4:
    // g1 = m3/m2^1.5, G1 = g1·√(n(n−1))/(n−2); g2 = m4/m2² − 3,
    // G2 = ((n+1)g2 + 6)(n−1)/((n−2)(n−3)).
    const n = x.length
    const m = x.reduce((a, b) => a + b) / n
    const mom = (k: number) => x.reduce((a, v) => a + (v - m) ** k, 0) / n
    const g1 = mom(3) / mom(2) ** 1.5
    const g2 = mom(4) / mom(2) ** 2 - 3
    expect(s.skewness).toBeCloseTo((g1 * Math.sqrt(n * (n - 1))) / (n - 2), 10)
    expect(s.excessKurtosis).toBeCloseTo((((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3)), 10)
    // SciPy 1.17.1 skew(x, bias=False) = 1.364082, kurtosis(x, bias=False) = 1.222980.
    expect(s.skewness).toBeCloseTo(1.364082, 5)
    expect(s.excessKurtosis).toBeCloseTo(1.22298, 5)
    // numpy.percentile (linear = type 7): 2.3 2.6 3 5 10.5 16.2 18.6.
    expect(Object.values(s.percentiles).map((v) => Number(v.toFixed(6)))).toEqual([
      2.3, 2.6, 3, 5, 10.5, 16.2, 18.6,
    ])
  })

  it('identical values: sd exactly 0, CI, skewness and kurtosis null', () => {
    const s = summarize([0.1, 0.1, 0.1, 0.1, 0.1])!
    expect(s).toMatchObject({
      mean: 0.1,
      sd: 0,
      meanCi95: null,
      skewness: null,
      excessKurtosis: null,
    })
    expect(s.iqr).toBe(0)
  })

  it('n = 3 has skewness but not kurtosis; ties leave quantiles on the values', () => {
    const s = summarize([1, 1, 4])!
    expect(s.skewness).not.toBeNull()
    expect(s.excessKurtosis).toBeNull()
    expect(s.median).toBe(1)
  })

  it('leaves the caller array unsorted', () => {
    const x = [3, 1, 2]
    summarize(x)
    expect(x).toEqual([3, 1, 2])
  })
})
