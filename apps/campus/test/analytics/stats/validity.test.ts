import { describe, expect, it } from 'vitest'
import { assessValidity, type ValidityNoteCode } from '../../../src/analytics/stats/index.js'
import { normals } from './samples.js'

const codes = (values: readonly number[], scale?: { min?: number; max?: number }) =>
  assessValidity(values, scale).notes.map((n) => n.code)

/** 60 roughly normal scores around 60 on a 0–100 scale, none at the bounds. */
const normal60 = normals(60, 5).map((v) => Math.round((60 + 10 * v) * 10) / 10)

describe('assessValidity', () => {
  it('n < 3: not-enough-data only, no plot, no bell, median', () => {
    for (const x of [[], [5], [5, 6]]) {
      const v = assessValidity(x)
      expect(v.notes.map((n) => n.code)).toEqual(['not-enough-data'])
      expect(v).toMatchObject({
        plot: 'none',
        showBell: false,
        leadWith: 'median',
        shapiroWilk: null,
      })
    }
  })

  it('a large normal sample: no notes, mean first, histogram with a bell', () => {
    const v = assessValidity(normal60)
    expect(v.notes).toEqual([])
    expect(v.shapiroWilk!.p).toBeGreaterThanOrEqual(0.05)
    expect(v).toMatchObject({ leadWith: 'mean', plot: 'histogram', showBell: true })
  })

  it('small-sample (n < 20): strip plot, median, no bell', () => {
    const v = assessValidity(normal60.slice(0, 19))
    expect(v.notes.map((n) => n.code)).toContain('small-sample')
    expect(v).toMatchObject({ plot: 'strip', leadWith: 'median', showBell: false })
    expect(v.shapiroWilk).not.toBeNull()
    expect(assessValidity(normal60.slice(0, 20)).plot).toBe('histogram')
  })

  it('identical values: note, no Shapiro–Wilk, no bell', () => {
    const v = assessValidity(Array(25).fill(70))
    expect(v.notes.map((n) => n.code)).toEqual(['identical-values'])
    expect(v).toMatchObject({ shapiroWilk: null, showBell: false, plot: 'histogram' })
  })

  it('normality-rejected (p < 0.05): median first, no bell', () => {
    const skewed = Array.from({ length: 40 }, (_, i) => -Math.log(1 - (i + 0.5) / 40) * 10)
    const v = assessValidity(skewed)
    expect(v.shapiroWilk!.p).toBeLessThan(0.05)
    expect(v.notes.map((n) => n.code)).toEqual(['normality-rejected'])
    expect(v.notes[0]!.message).toMatch(/Shapiro–Wilk p = /)
    expect(v).toMatchObject({ leadWith: 'median', showBell: false, plot: 'histogram' })
  })

  it('bounded-scale alone keeps the mean and the bell', () => {
    const v = assessValidity(normal60, { min: 0, max: 100 })
    expect(v.notes.map((n) => n.code)).toEqual(['bounded-scale'])
    expect(v).toMatchObject({ leadWith: 'mean', showBell: true })
    expect(codes(normal60, { max: 100 })).toEqual(['bounded-scale'])
  })

  it('ceiling and floor at ≥ 15 % of values on the bound', () => {
    // 9 of 60 = 15 % at 100: a ceiling; 8 of 60 is not.
    const ceiling = [...normal60.slice(0, 51), ...Array(9).fill(100)]
    const v = assessValidity(ceiling, { min: 0, max: 100 })
    const got: ValidityNoteCode[] = v.notes.map((n) => n.code)
    expect(got).toContain('ceiling')
    expect(got).not.toContain('floor')
    expect(v).toMatchObject({ leadWith: 'median', showBell: false })
    expect(codes([...normal60.slice(0, 52), ...Array(8).fill(100)], { max: 100 })).not.toContain(
      'ceiling',
    )
    const floor = [...normal60.slice(0, 51), ...Array(9).fill(0)]
    expect(codes(floor, { min: 0, max: 100 })).toContain('floor')
    // Without a known bound there is no ceiling, however many share the maximum.
    expect(codes(ceiling)).not.toContain('ceiling')
  })

  it('heavy-ties: fewer distinct values than half of n, or < 10 distinct from n = 20', () => {
    const likert = Array.from({ length: 40 }, (_, i) => 1 + (i % 5))
    const v = assessValidity(likert, { min: 1, max: 5 })
    expect(v.notes.map((n) => n.code)).toContain('heavy-ties')
    expect(v.showBell).toBe(false)
    // 30 values, 12 distinct: < n/2.
    expect(codes(Array.from({ length: 30 }, (_, i) => 50 + (i % 12)))).toContain('heavy-ties')
    // 20 values, 9 distinct ≥ n/2? no: 9 < 10 distinct at n = 20.
    expect(codes(Array.from({ length: 20 }, (_, i) => 50 + (i % 9)))).toContain('heavy-ties')
    // 8 all-distinct values: no ties at all.
    expect(codes([1, 2, 3, 4, 5, 6, 7, 8])).not.toContain('heavy-ties')
  })

  it('n > 5000: Shapiro–Wilk is out of range, normality not judged, no bell', () => {
    const v = assessValidity(normals(5001, 8))
    expect(v).toMatchObject({
      shapiroWilk: null,
      showBell: false,
      leadWith: 'mean',
      plot: 'histogram',
    })
    expect(v.notes).toEqual([])
    expect(assessValidity(normals(5000, 8)).shapiroWilk!.n).toBe(5000)
  })

  it('messages are single plain sentences', () => {
    const all = [
      ...assessValidity([1]).notes,
      ...assessValidity([...Array(10).fill(100), 1, 2, 3], { min: 0, max: 100 }).notes,
      ...assessValidity(Array(5).fill(3)).notes,
    ]
    expect(all.length).toBeGreaterThanOrEqual(5)
    for (const n of all) expect(n.message).toMatch(/^[A-Z0-9][^\n]*\.$/)
  })

  it('non-finite input throws E_STATS_INPUT', () => {
    expect(() => assessValidity([1, 2, Number.NaN])).toThrow(/values\[2\]/)
  })
})
