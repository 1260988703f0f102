import { describe, expect, it } from 'vitest'
import {
  freedmanDiaconis,
  kernelDensity,
  MAX_BINS,
  normalCurve,
  qqPoints,
  StatsError,
} from '../../../src/analytics/stats/index.js'
import { normals, sum } from './samples.js'

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (err) {
    return err instanceof StatsError ? err.code : 'not a StatsError'
  }
  return undefined
}

/** Trapezoid rule over a curve. */
function integrate(x: readonly number[], y: readonly number[]): number {
  let s = 0
  for (let i = 1; i < x.length; i++) s += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2
  return s
}

describe('freedmanDiaconis', () => {
  it('bins of width 2·IQR·n^(−1/3), counts summing to n, edges covering min..max', () => {
    const x = normals(1000, 7).map((v) => 50 + 10 * v)
    const h = freedmanDiaconis(x)
    expect(h.edges.length).toBe(h.counts.length + 1)
    expect(sum(h.counts)).toBe(1000)
    expect(h.edges[0]).toBe(Math.min(...x))
    expect(h.edges.at(-1)).toBe(Math.max(...x))
    // FD width before rounding to whole bins is 2·IQR/∛n; the bin count is its ceiling.
    const sorted = [...x].sort((a, b) => a - b)
    const q = (p: number) => {
      const i = (sorted.length - 1) * p
      const lo = Math.floor(i)
      return sorted[lo]! + (i - lo) * (sorted[lo + 1]! - sorted[lo]!)
    }
    const fd = 2 * (q(0.75) - q(0.25)) * 1000 ** (-1 / 3)
    expect(h.counts.length).toBe(Math.ceil((sorted[999]! - sorted[0]!) / fd))
    // Each value is in the bin whose edges hold it.
    for (let i = 0; i < h.counts.length; i++) {
      const inBin = x.filter((v) =>
        i === h.counts.length - 1 ? v >= h.edges[i]! : v >= h.edges[i]! && v < h.edges[i + 1]!,
      ).length
      expect(inBin).toBe(h.counts[i])
    }
  })

  it('falls back to Sturges when the IQR is 0, one bin for equal values, caps at 100', () => {
    const spiky = [...Array(20).fill(5), 1, 9]
    const sturges = freedmanDiaconis(spiky)
    expect(sturges.counts.length).toBe(Math.ceil(Math.log2(22)) + 1)
    expect(sum(sturges.counts)).toBe(22)
    expect(freedmanDiaconis([3, 3, 3])).toEqual({ binWidth: 1, edges: [2.5, 3.5], counts: [3] })
    expect(freedmanDiaconis([4])).toEqual({ binWidth: 1, edges: [3.5, 4.5], counts: [1] })
    // A tight core with far outliers would ask for thousands of bins.
    const wide = [...normals(500, 3), -1e6, 1e6]
    const capped = freedmanDiaconis(wide)
    expect(capped.counts.length).toBe(MAX_BINS)
    expect(sum(capped.counts)).toBe(502)
  })

  it('n = 2 and ties; empty → E_STATS_RANGE; NaN → E_STATS_INPUT', () => {
    const two = freedmanDiaconis([1, 2])
    expect(sum(two.counts)).toBe(2)
    expect(two.edges[0]).toBe(1)
    expect(two.edges.at(-1)).toBe(2)
    expect(sum(freedmanDiaconis([1, 1, 2, 2, 2, 3, 3, 10]).counts)).toBe(8)
    expect(code(() => freedmanDiaconis([]))).toBe('E_STATS_RANGE')
    expect(code(() => freedmanDiaconis([1, Number.NaN]))).toBe('E_STATS_INPUT')
  })
})

describe('kernelDensity', () => {
  it("integrates to ≈ 1 with Silverman's bandwidth", () => {
    const x = normals(400, 11)
    const k = kernelDensity(x, 512)!
    expect(integrate(k.x, k.y)).toBeCloseTo(1, 2)
    expect(k.x.length).toBe(512)
    expect(k.bandwidth).toBeGreaterThan(0)
    const skewed = Array.from({ length: 60 }, (_, i) => Math.exp(i / 15))
    const ks = kernelDensity(skewed)!
    expect(integrate(ks.x, ks.y)).toBeCloseTo(1, 2)
  })

  it('bandwidth: 0.9·min(s, IQR/1.34)·n^(−1/5)', () => {
    // 1..5: s = √2.5, IQR (type 7) = 4 − 2 = 2 → min(1.5811, 1.4925) = 1.4925.
    const k = kernelDensity([1, 2, 3, 4, 5])!
    expect(k.bandwidth).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** (-1 / 5), 12)
    // IQR 0 → s alone.
    const spiky = [0, 5, 5, 5, 5, 5, 10]
    const s = Math.sqrt(spiky.reduce((a, v) => a + (v - 5) ** 2, 0) / 6)
    expect(kernelDensity(spiky)!.bandwidth).toBeCloseTo(0.9 * s * 7 ** (-1 / 5), 12)
  })

  it('null when n < 2 or sd = 0', () => {
    expect(kernelDensity([])).toBeNull()
    expect(kernelDensity([1])).toBeNull()
    expect(kernelDensity([2, 2, 2])).toBeNull()
    expect(code(() => kernelDensity([1, 2], 1))).toBe('E_STATS_RANGE')
  })
})

describe('normalCurve', () => {
  it('is the normal pdf times n·binWidth over the range', () => {
    const c = normalCurve(10, 2, [4, 16], 50 * 0.5, 61)
    expect(c.x[0]).toBe(4)
    expect(c.x.at(-1)).toBe(16)
    // Peak at the mean: 25 · 1/(2√(2π)).
    expect(c.y[30]).toBeCloseTo(25 / (2 * Math.sqrt(2 * Math.PI)), 10)
    // One sd out: times e^(−1/2).
    expect(c.y[40]! / c.y[30]!).toBeCloseTo(Math.exp(-0.5), 10)
    // Area over ±3 sd ≈ scale · 0.9973.
    expect(integrate(c.x, c.y)).toBeCloseTo(25 * 0.9973, 1)
    expect(code(() => normalCurve(0, 0, [0, 1], 1))).toBe('E_STATS_RANGE')
  })
})

describe('qqPoints', () => {
  it('Blom positions, sorted samples, both monotone', () => {
    const x = [5, 3, 9, 1, 7, 7]
    const pts = qqPoints(x)
    expect(pts.map((p) => p.sample)).toEqual([1, 3, 5, 7, 7, 9])
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]!.theoretical).toBeGreaterThan(pts[i - 1]!.theoretical)
      expect(pts[i]!.sample).toBeGreaterThanOrEqual(pts[i - 1]!.sample)
    }
    // Symmetric positions: the i-th and (n+1−i)-th theoretical quantiles are opposite.
    expect(pts[0]!.theoretical).toBeCloseTo(-pts[5]!.theoretical, 10)
    // (1 − 3/8)/(6 + 1/4) = 0.1 → Φ⁻¹(0.1) = −1.2815516.
    expect(pts[0]!.theoretical).toBeCloseTo(-1.2815516, 6)
    expect(qqPoints([])).toEqual([])
    const [one] = qqPoints([4])
    expect(one!.sample).toBe(4)
    expect(one!.theoretical).toBeCloseTo(0, 12)
  })
})
