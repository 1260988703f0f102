/**
 * Pure statistics for campus's analytics pages: no I/O, finite numbers in (callers drop missing
 * values first), typed {@link StatsError} out. Methods and rules: docs/analytics.md.
 *
 * @module
 */
export { type Curve, kernelDensity, normalCurve, type QQPoint, qqPoints } from './curves.js'
export { StatsError, type StatsErrorCode } from './errors.js'
export { freedmanDiaconis, type Histogram, MAX_BINS } from './histogram.js'
export { type ShapiroWilk, shapiroWilk } from './shapiro-wilk.js'
export { type Summary, summarize } from './summary.js'
export { type Cell, type SuppressedCell, suppressCells } from './suppression.js'
export { type HedgesG, hedgesG, type WelchResult, welchTTest } from './two-sample.js'
export {
  assessValidity,
  BOUND_SHARE,
  MIN_N_STATISTICS,
  NORMALITY_ALPHA,
  SMALL_SAMPLE,
  type Validity,
  type ValidityNoteCode,
} from './validity.js'
