/**
 * Small-cell suppression for counts and statistics shown per group (e.g. per class or per
 * answer): a cell with 0 < n < minN is hidden, and when that leaves exactly one hidden cell in
 * the group — so that the total minus the visible cells would reveal it — a second cell is hidden
 * too. The rule is stated in docs/analytics.md ("Suppression").
 *
 * @module
 */
import { StatsError } from './errors.js'

/** One cell of a group: its key and how many people it counts. */
export interface Cell {
  key: string
  n: number
}

/** A cell and whether (and why) it is hidden. */
export interface SuppressedCell extends Cell {
  suppressed: false | 'small' | 'complementary'
}

/**
 * Suppresses the cells of ONE group (call once per group), in input order. A cell with n = 0 is
 * never small (there is nobody to protect) and is used as the complement only when the group has
 * no other cell with n > 0. A group whose only non-empty cell is small has a small total: the
 * caller must hide that total as well.
 * @example suppressCells([{ key: 'a', n: 2 }, { key: 'b', n: 30 }, { key: 'c', n: 40 }], 5)
 *   // a: 'small', b: 'complementary', c: false
 */
export function suppressCells(cells: readonly Cell[], minN: number): SuppressedCell[] {
  if (!Number.isInteger(minN) || minN < 1) {
    throw new StatsError('E_STATS_INPUT', `minN must be a positive integer (${minN})`)
  }
  for (const c of cells) {
    if (!Number.isInteger(c.n) || c.n < 0) {
      throw new StatsError(
        'E_STATS_INPUT',
        `cell ${c.key}: n must be a non-negative integer (${c.n})`,
      )
    }
  }
  const out: SuppressedCell[] = cells.map((c) => ({
    key: c.key,
    n: c.n,
    suppressed: c.n > 0 && c.n < minN ? 'small' : false,
  }))
  const hidden = out.filter((c) => c.suppressed !== false).length
  if (hidden !== 1) return out
  // The smallest visible non-empty cell (first in input order on a tie) costs the least
  // information; an empty cell only when there is no other.
  let pick: SuppressedCell | undefined
  for (const c of out) {
    if (c.suppressed !== false) continue
    if (pick === undefined || rank(c) < rank(pick)) pick = c
  }
  if (pick) pick.suppressed = 'complementary'
  return out
}

function rank(c: Cell): number {
  return c.n === 0 ? Number.POSITIVE_INFINITY : c.n
}
