/**
 * Layout detection from a header row: the known layout whose columns are exactly the header's
 * (any order, any case, any spacing), else the closest one with the columns the header lacks and
 * those it has in excess, so the refusal says precisely what to fix.
 *
 * @module
 */
import { type ColumnTarget, classifyColumn, normalizeHeader } from './columns.js'
import { IXL_LAYOUTS, type IxlLayout } from './layouts.js'

/** A header that matched a known layout, with each column's meaning by position. */
export interface DetectedLayout {
  ok: true
  layout: IxlLayout
  targets: ColumnTarget[]
}

/** A header that matched none: the closest layout and how the header differs from it. */
export interface UnknownLayout {
  ok: false
  closest: IxlLayout
  missing: string[]
  unexpected: string[]
  duplicated: string[]
}

/** Detects the layout of `header` (the first row of the file, BOM already removed). */
export function detectLayout(header: readonly string[]): DetectedLayout | UnknownLayout {
  const names = header.map(normalizeHeader)
  const present = new Set(names)
  const duplicated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))]
  let best: { layout: IxlLayout; missing: string[]; unexpected: string[]; score: number } | null =
    null
  for (const layout of IXL_LAYOUTS) {
    const wanted = new Set(layout.columns.map(normalizeHeader))
    const missing = layout.columns.filter((c) => !present.has(normalizeHeader(c)))
    const unexpected = header.filter((c) => !wanted.has(normalizeHeader(c)))
    if (missing.length === 0 && unexpected.length === 0 && duplicated.length === 0) {
      const targets = header.map((column) => {
        const target = classifyColumn(layout, column)
        // Every column of every layout is classified (layouts.test.ts); this guards edits.
        if (!target) throw new Error(`IXL layout ${layout.id} has an unclassified column ${column}`)
        return target
      })
      return { ok: true, layout, targets }
    }
    // Closest: the most columns in common, then the fewest differences.
    const common = layout.columns.length - missing.length
    const score = common * 1000 - missing.length - unexpected.length
    if (best === null || score > best.score) best = { layout, missing, unexpected, score }
  }
  if (best === null) throw new Error('no IXL layouts are defined')
  return {
    ok: false,
    closest: best.layout,
    missing: best.missing,
    unexpected: best.unexpected,
    duplicated,
  }
}

/** The refusal message for an unknown layout. */
export function describeUnknownLayout(unknown: UnknownLayout): string {
  const parts = [`unknown IXL layout; closest known layout is ${unknown.closest.id}`]
  if (unknown.missing.length > 0) parts.push(`it lacks: ${unknown.missing.join(' | ')}`)
  if (unknown.unexpected.length > 0) {
    parts.push(`unexpected columns: ${unknown.unexpected.join(' | ')}`)
  }
  if (unknown.duplicated.length > 0) {
    parts.push(`duplicated columns: ${unknown.duplicated.join(' | ')}`)
  }
  return parts.join('; ')
}
