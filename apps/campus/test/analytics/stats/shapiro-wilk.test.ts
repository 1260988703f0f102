import { describe, expect, it } from 'vitest'
import { StatsError, shapiroWilk } from '../../../src/analytics/stats/index.js'
import { normals } from './samples.js'

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (err) {
    return err instanceof StatsError ? err.code : 'not a StatsError'
  }
  return undefined
}

describe('shapiroWilk (Royston 1995, AS R94)', () => {
  it('matches the reference for the ten-value sample', () => {
    // Reference W = 0.80783, p = 0.01805; SciPy 1.17.1 scipy.stats.shapiro (its own port of
    // AS R94) gives W = 0.8078288, p = 0.0180466.
    const r = shapiroWilk([48.4, 49, 59.5, 59.6, 60.7, 88.8, 98.2, 109.4, 169.1, 227.1])
    expect(r.n).toBe(10)
    expect(r.w).toBeCloseTo(0.80783, 4)
    expect(Math.abs(r.p - 0.01805)).toBeLessThan(1e-4)
  })

  it('n = 3: a = (−√½, 0, √½) and the exact p = (6/π)(asin √W − π/3)', () => {
    // Independent computation: for 1, 2, 4 the mean is 7/3 and Σ(x − x̄)² = 42/9;
    // W = (√½ · (4 − 1))² / (42/9) = 4.5 / (42/9) = 27/28.
    const r = shapiroWilk([4, 1, 2])
    const w = 27 / 28
    expect(r.w).toBeCloseTo(w, 12)
    expect(r.p).toBeCloseTo((6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3), 12)
    // Equally spaced three values lie exactly on the normal line: W = 1, p = 1.
    const line = shapiroWilk([1, 2, 3])
    expect(line.w).toBeCloseTo(1, 12)
    expect(line.p).toBeCloseTo(1, 12)
  })

  it('handles ties (SciPy 1.17.1: W = 0.947208, p = 0.446789)', () => {
    const r = shapiroWilk([3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 6, 7, 8, 8, 9, 10])
    expect(r.w).toBeCloseTo(0.947208, 5)
    expect(r.p).toBeCloseTo(0.446789, 5)
  })

  it('small n take the n ≤ 11 branch (SciPy 1.17.1 references for n = 4, 5, 6)', () => {
    expect(shapiroWilk([1, 2, 3, 5]).p).toBeCloseTo(0.849971, 5)
    expect(shapiroWilk([1, 2, 3, 5, 9]).w).toBeCloseTo(0.912401, 5)
    expect(shapiroWilk([1, 2, 3, 5, 9, 10]).p).toBeCloseTo(0.361986, 5)
  })

  it('n = 5000 normal sample: W near 1, p unremarkable', () => {
    const xs = normals(5000, 42)
    // The generator matches the one the reference was computed from (first value).
    expect(xs[0]).toBeCloseTo(-1.2848381576290195, 12)
    const r = shapiroWilk(xs)
    // SciPy 1.17.1 on the same 5000 values: W = 0.99965994, p = 0.58502.
    expect(r.w).toBeCloseTo(0.99965994, 6)
    expect(r.p).toBeCloseTo(0.58502, 3)
  })

  it('rejects a heavily skewed (exponential quantile) sample', () => {
    const exp = Array.from({ length: 100 }, (_, i) => -Math.log(1 - (i + 0.5) / 100))
    const r = shapiroWilk(exp)
    // SciPy 1.17.1: W = 0.829104, p = 2.156e-9.
    expect(r.w).toBeCloseTo(0.829104, 5)
    expect(r.p).toBeLessThan(1e-6)
  })

  it('is invariant to order, location and scale', () => {
    const x = [5, 1, 9, 3, 3, 7, 2, 8]
    const a = shapiroWilk(x)
    const b = shapiroWilk(x.map((v) => 1000 + 0.01 * v).reverse())
    expect(b.w).toBeCloseTo(a.w, 10)
    expect(b.p).toBeCloseTo(a.p, 10)
  })

  it('throws E_STATS_RANGE outside 3 ≤ n ≤ 5000 or on equal values, E_STATS_INPUT on non-finite', () => {
    expect(code(() => shapiroWilk([]))).toBe('E_STATS_RANGE')
    expect(code(() => shapiroWilk([1, 2]))).toBe('E_STATS_RANGE')
    expect(code(() => shapiroWilk(normals(5001, 1)))).toBe('E_STATS_RANGE')
    expect(code(() => shapiroWilk([4, 4, 4, 4]))).toBe('E_STATS_RANGE')
    expect(code(() => shapiroWilk([1, Number.NaN, 3]))).toBe('E_STATS_INPUT')
    expect(code(() => shapiroWilk([1, Number.POSITIVE_INFINITY, 3]))).toBe('E_STATS_INPUT')
  })
})
