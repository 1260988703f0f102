/**
 * Small-n suppression of report cells, to the contract of `analytics/stats` `suppressCells`:
 * cells with 0 < n < minN are hidden; when exactly one cell of the group is hidden (so the total
 * minus the visible cells would reveal it), the smallest other visible cell is hidden too.
 * Reports call it through this module so the shared implementation replaces this one in one
 * place once it is available.
 *
 * @module
 */

/** A cell to check: its key and how many learners it describes. */
export interface Cell {
  readonly key: string
  readonly n: number
}
/** A checked cell. */
export interface SuppressedCell extends Cell {
  readonly suppressed: false | 'small' | 'complementary'
}

/** The default threshold: aggregates of fewer than 10 learners are not shown. */
export const DEFAULT_MIN_N = 10

/** See the module comment. */
export function suppressCells(cells: readonly Cell[], minN: number): SuppressedCell[] {
  const out: SuppressedCell[] = cells.map((c) => ({
    ...c,
    suppressed: c.n > 0 && c.n < minN ? 'small' : false,
  }))
  if (out.filter((c) => c.suppressed === 'small').length !== 1) return out
  let smallest = -1
  out.forEach((c, i) => {
    if (c.suppressed !== false || c.n === 0) return
    const best = out[smallest]
    if (best === undefined || c.n < best.n) smallest = i
  })
  const cell = out[smallest]
  if (cell) out[smallest] = { ...cell, suppressed: 'complementary' }
  return out
}
