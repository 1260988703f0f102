/**
 * QTI selection and ordering: properties over random pools, selections and seeds.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyQtiSelectionAndOrdering, seededRandom } from '../../src/content/loaders/qti.js'

interface Item {
  id: string
  sortOrder: number
  required: boolean
  fixed: boolean
}

/** Pools with distinct sort orders, given in any input order. */
const pool = fc
  .array(fc.record({ required: fc.boolean(), fixed: fc.boolean() }), { maxLength: 25 })
  .chain((flags) =>
    fc.shuffledSubarray(
      flags.map((f, i): Item => ({ id: `i${i}`, sortOrder: i * 10, ...f })),
      { minLength: flags.length, maxLength: flags.length },
    ),
  )
const selection = fc.record({
  select: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  shuffle: fc.boolean(),
})
const seed = fc.string({ maxLength: 20 })

const byOrder = (items: readonly Item[]): Item[] =>
  [...items].sort((a, b) => a.sortOrder - b.sortOrder)

describe('applyQtiSelectionAndOrdering', () => {
  it('is deterministic per seed', () => {
    fc.assert(
      fc.property(pool, selection, seed, (items, sel, s) => {
        expect(applyQtiSelectionAndOrdering(items, sel, s)).toEqual(
          applyQtiSelectionAndOrdering(items, sel, s),
        )
      }),
    )
  })

  it('always selects every required item, and each item at most once', () => {
    fc.assert(
      fc.property(pool, selection, seed, (items, sel, s) => {
        const out = applyQtiSelectionAndOrdering(items, sel, s)
        const ids = out.map((i) => i.id)
        expect(new Set(ids).size).toBe(ids.length)
        for (const item of items) if (item.required) expect(ids).toContain(item.id)
        for (const item of out) expect(items).toContain(item)
      }),
    )
  })

  it('selects min(max(select, required), pool) items (all without select)', () => {
    fc.assert(
      fc.property(pool, selection, seed, (items, sel, s) => {
        const out = applyQtiSelectionAndOrdering(items, sel, s)
        const required = items.filter((i) => i.required).length
        const expected =
          sel.select === undefined
            ? items.length
            : Math.min(Math.max(sel.select, required), items.length)
        expect(out).toHaveLength(expected)
      }),
    )
  })

  it('keeps authored order without shuffle', () => {
    fc.assert(
      fc.property(pool, selection, seed, (items, sel, s) => {
        const out = applyQtiSelectionAndOrdering(items, { ...sel, shuffle: false }, s)
        expect(out).toEqual(byOrder(out))
      }),
    )
  })

  it('keeps each fixed item at its index among the selected items in authored order', () => {
    fc.assert(
      fc.property(pool, selection, seed, (items, sel, s) => {
        const out = applyQtiSelectionAndOrdering(items, { ...sel, shuffle: true }, s)
        const authored = byOrder(out)
        authored.forEach((item, index) => {
          if (item.fixed) expect(out[index]).toBe(item)
        })
      }),
    )
  })

  it('draws differently for different seeds (not a constant order)', () => {
    const items: Item[] = Array.from({ length: 12 }, (_, i) => ({
      id: `i${i}`,
      sortOrder: i,
      required: false,
      fixed: false,
    }))
    const draws = new Set(
      Array.from({ length: 20 }, (_, n) =>
        applyQtiSelectionAndOrdering(items, { select: 5, shuffle: true }, `seed-${n}`)
          .map((i) => i.id)
          .join(','),
      ),
    )
    expect(draws.size).toBeGreaterThan(15)
  })

  it('seeds a PRNG in [0, 1)', () => {
    const random = seededRandom('x')
    for (let i = 0; i < 1000; i++) {
      const value = random()
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(1)
    }
  })
})
