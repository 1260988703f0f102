/**
 * Numbers as a reader sees them in axis labels and data tables.
 *
 * @module
 */

/** Decimals enough to tell apart values `step` apart (at least 0, at most 6). */
export function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 2
  return Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)) + 1))
}

/** `x` rounded to `decimals` as a number (no trailing zeros, no `-0`). */
export function round(x: number, decimals: number): number {
  const r = Number(x.toFixed(decimals))
  return Object.is(r, -0) ? 0 : r
}

/** A header with its unit: `Score (points)`. */
export function withUnit(label: string, unit: string | undefined): string {
  return unit ? `${label} (${unit})` : label
}
