/**
 * Cell values of IXL exports: `--`, `N/A` and empty mean "no value"; numbers may carry thousands
 * separators or a sign (growth); tiers are `Far below grade` … `Above grade`.
 *
 * @module
 */
import type { AssessmentTier } from '../../db/schema.js'

/** A cell that failed to parse: why, for a `file:row:column: reason` line. */
export interface CellProblem {
  reason: string
}

/** True for the markers IXL writes where a learner has no value. */
export function isMissing(raw: string): boolean {
  const value = raw.trim()
  return value === '' || value === '--' || value.toUpperCase() === 'N/A'
}

/** An integer cell (`1,234`, `+50`, `-20`), null when missing. */
export function parseInteger(raw: string): number | null | CellProblem {
  if (isMissing(raw)) return null
  const value = raw.trim().replace(/,/g, '')
  if (!/^[+-]?\d+$/.test(value)) return { reason: `${JSON.stringify(raw)} is not a whole number` }
  return Number(value)
}

/** A decimal cell, null when missing. */
export function parseDecimal(raw: string): number | null | CellProblem {
  if (isMissing(raw)) return null
  const value = raw.trim().replace(/,/g, '')
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) {
    return { reason: `${JSON.stringify(raw)} is not a number` }
  }
  return Number(value)
}

/** A percentile (0–100; IXL reports 1–99), null when missing. */
export function parsePercentile(raw: string): number | null | CellProblem {
  const value = parseInteger(raw.replace(/(st|nd|rd|th)$/i, ''))
  if (value === null || typeof value !== 'number') return value
  if (value < 0 || value > 100) return { reason: `percentile ${value} is outside 0–100` }
  return value
}

const TIERS: Record<string, AssessmentTier> = {
  'far below grade': 'far-below',
  'below grade': 'below',
  'on grade': 'on',
  'above grade': 'above',
}

/** A tier cell, null when missing; an unknown tier names the four accepted ones. */
export function parseTier(raw: string): AssessmentTier | null | CellProblem {
  if (isMissing(raw)) return null
  const tier = TIERS[raw.trim().toLowerCase().replace(/\s+/g, ' ')]
  if (tier) return tier
  return {
    reason: `unknown tier ${JSON.stringify(raw)}; expected one of Far below grade, Below grade, On grade, Above grade`,
  }
}

/** True when a parse result is a problem rather than a value. */
export function isProblem(value: unknown): value is CellProblem {
  return typeof value === 'object' && value !== null && 'reason' in value
}
