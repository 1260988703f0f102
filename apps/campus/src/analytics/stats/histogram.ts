/**
 * Histogram bins by the Freedman–Diaconis rule (width 2·IQR·n^(−1/3)), Sturges' k = ⌈log₂ n⌉ + 1
 * when the IQR is 0, one bin when all values are equal, at most 100 bins.
 *
 * @module
 */
import { quantileSorted } from 'simple-statistics'
import { assertFinite, StatsError, sortedCopy } from './errors.js'

/** Bins: `edges.length === counts.length + 1`; bin i is [edges[i], edges[i+1]), the last closed. */
export interface Histogram {
  binWidth: number
  edges: number[]
  counts: number[]
}

/** The most bins a histogram gets: more is noise on a page. */
export const MAX_BINS = 100

/**
 * Freedman–Diaconis bins covering min..max. Throws `E_STATS_RANGE` on an empty sample.
 * @example freedmanDiaconis([1, 2, 2, 3, 9]).counts.reduce((s, c) => s + c) // 5
 */
export function freedmanDiaconis(values: readonly number[]): Histogram {
  assertFinite(values)
  const n = values.length
  if (n === 0) throw new StatsError('E_STATS_RANGE', 'histogram of no values')
  const x = sortedCopy(values)
  const min = x[0]!
  const max = x[n - 1]!
  if (min === max) {
    // One bin of width 1 centred on the value: a zero-width bar would not draw.
    return { binWidth: 1, edges: [min - 0.5, min + 0.5], counts: [n] }
  }
  const iqr = quantileSorted(x, 0.75) - quantileSorted(x, 0.25)
  const range = max - min
  let bins = iqr > 0 ? Math.ceil(range / (2 * iqr * n ** (-1 / 3))) : Math.ceil(Math.log2(n)) + 1
  bins = Math.min(MAX_BINS, Math.max(1, bins))
  const binWidth = range / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * binWidth))
  const counts = new Array<number>(bins).fill(0)
  let bin = 0
  // Sorted values walk the edges once; a value on an inner edge belongs to the bin it opens.
  for (const v of x) {
    while (bin < bins - 1 && v >= edges[bin + 1]!) bin++
    counts[bin]!++
  }
  return { binWidth, edges, counts }
}
