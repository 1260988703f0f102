import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Cell, StatsError, suppressCells } from '../../../src/analytics/stats/index.js'

const cells = (...ns: number[]): Cell[] => ns.map((n, i) => ({ key: `c${i}`, n }))
const flags = (out: ReturnType<typeof suppressCells>) => out.map((c) => c.suppressed)

describe('suppressCells', () => {
  it('hides small cells and, when only one is hidden, the smallest other non-empty cell', () => {
    expect(flags(suppressCells(cells(2, 30, 12, 40), 5))).toEqual([
      'small',
      false,
      'complementary',
      false,
    ])
    // Two small cells protect each other: no complement.
    expect(flags(suppressCells(cells(2, 3, 40), 5))).toEqual(['small', 'small', false])
    // Nothing small: nothing hidden.
    expect(flags(suppressCells(cells(5, 30), 5))).toEqual([false, false])
  })

  it('n = 0 is not small, and is the complement only when no other cell has people', () => {
    expect(flags(suppressCells(cells(0, 0, 50), 5))).toEqual([false, false, false])
    expect(flags(suppressCells(cells(0, 3, 50), 5))).toEqual([false, 'small', 'complementary'])
    expect(flags(suppressCells(cells(0, 3), 5))).toEqual(['complementary', 'small'])
  })

  it('a one-cell group cannot be protected by its cells (the caller hides the total)', () => {
    expect(flags(suppressCells(cells(3), 5))).toEqual(['small'])
    expect(suppressCells([], 5)).toEqual([])
  })

  it('ties pick the first cell in input order; keys and n pass through', () => {
    const out = suppressCells(cells(1, 20, 20), 5)
    expect(out).toEqual([
      { key: 'c0', n: 1, suppressed: 'small' },
      { key: 'c1', n: 20, suppressed: 'complementary' },
      { key: 'c2', n: 20, suppressed: false },
    ])
  })

  it('rejects a bad minN or n', () => {
    expect(() => suppressCells(cells(1), 0)).toThrow(StatsError)
    expect(() => suppressCells(cells(-1), 5)).toThrow(StatsError)
    expect(() => suppressCells(cells(1.5), 5)).toThrow(StatsError)
  })

  it('property: every group hides 0 or ≥ 2 cells, and no hidden cell follows from the total', () => {
    const group = fc.array(fc.nat({ max: 40 }), { minLength: 2, maxLength: 12 })
    fc.assert(
      fc.property(group, fc.integer({ min: 1, max: 15 }), (ns, minN) => {
        const out = suppressCells(cells(...ns), minN)
        const hidden = out.filter((c) => c.suppressed !== false)
        // Every small cell is hidden as small, and nothing else is.
        for (const c of out) {
          expect(c.suppressed === 'small').toBe(c.n > 0 && c.n < minN)
        }
        expect(hidden.length === 0 || hidden.length >= 2).toBe(true)
        // What a reader can learn is one equation: Σ hidden = total − visible. With k hidden
        // unknowns it pins down a single cell only when k = 1, which never happens here; and it
        // is the true sum of the hidden cells (nothing visible was altered).
        const total = ns.reduce((a, b) => a + b, 0)
        const visible = out.filter((c) => c.suppressed === false).reduce((a, c) => a + c.n, 0)
        expect(total - visible).toBe(hidden.reduce((a, c) => a + c.n, 0))
        for (const [i, c] of out.entries()) expect(c.n).toBe(ns[i])
        // At most one complementary cell: the least information given up.
        expect(out.filter((c) => c.suppressed === 'complementary').length).toBeLessThanOrEqual(1)
      }),
      { numRuns: 500, seed: 20261206 },
    )
  })
})
