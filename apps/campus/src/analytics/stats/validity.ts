/**
 * What a page may honestly say about one sample: plain-English notes, whether to lead with the
 * mean or the median, whether a fitted bell curve is defensible, and which plot to draw. The
 * rules are listed in docs/analytics.md ("Validity").
 *
 * @module
 */
import { assertFinite, StatsError } from './errors.js'
import { type ShapiroWilk, shapiroWilk } from './shapiro-wilk.js'

/** Why a statistic or plot is qualified. */
export type ValidityNoteCode =
  | 'not-enough-data'
  | 'identical-values'
  | 'small-sample'
  | 'normality-rejected'
  | 'bounded-scale'
  | 'ceiling'
  | 'floor'
  | 'heavy-ties'

/** Result of {@link assessValidity}. */
export interface Validity {
  /** In a fixed order (the order of {@link ValidityNoteCode}); `message` is one sentence. */
  notes: { code: ValidityNoteCode; message: string }[]
  leadWith: 'mean' | 'median'
  showBell: boolean
  plot: 'histogram' | 'strip' | 'none'
  /** Null when n < 3, n > 5000 or all values are equal. */
  shapiroWilk: ShapiroWilk | null
}

/** Below this n nothing but n is reported. */
export const MIN_N_STATISTICS = 3
/** Below this n: strip plot, median first. */
export const SMALL_SAMPLE = 20
/** Shapiro–Wilk p below this: normality rejected. */
export const NORMALITY_ALPHA = 0.05
/** Share of values at a scale bound that makes a ceiling/floor. */
export const BOUND_SHARE = 0.15

/**
 * Assesses one sample of finite values, optionally on a scale with known bounds.
 * @example assessValidity(scores, { min: 0, max: 100 }).leadWith // 'median' when 15 % score 100
 */
export function assessValidity(
  values: readonly number[],
  scale?: { min?: number; max?: number },
): Validity {
  assertFinite(values)
  const n = values.length
  const notes: Validity['notes'] = []
  const note = (code: ValidityNoteCode, message: string) => notes.push({ code, message })
  if (n < MIN_N_STATISTICS) {
    note(
      'not-enough-data',
      `Only ${n} value${n === 1 ? '' : 's'}: too few to describe the distribution.`,
    )
    return { notes, leadWith: 'median', showBell: false, plot: 'none', shapiroWilk: null }
  }
  const identical = values.every((v) => v === values[0])
  if (identical)
    note('identical-values', 'All values are the same, so there is no spread to describe.')
  const small = n < SMALL_SAMPLE
  if (small) {
    note(
      'small-sample',
      `With only ${n} values, each is shown individually and the confidence interval of the mean is wide.`,
    )
  }
  let sw: ShapiroWilk | null = null
  if (!identical && n <= 5000) sw = shapiroWilk(values)
  const rejected = sw !== null && sw.p < NORMALITY_ALPHA
  if (rejected) {
    note(
      'normality-rejected',
      `The values are not normally distributed (Shapiro–Wilk p = ${formatP(sw!.p)}), so the median and quartiles describe them better than the mean.`,
    )
  }
  const bounded = scale !== undefined && (scale.min !== undefined || scale.max !== undefined)
  if (bounded) {
    note(
      'bounded-scale',
      `The scale is bounded (${describeBounds(scale!)}), so the distribution cannot be truly normal.`,
    )
  }
  const share = (test: (v: number) => boolean) => values.filter(test).length / n
  const ceilingShare = scale?.max === undefined ? 0 : share((v) => v >= scale.max!)
  const floorShare = scale?.min === undefined ? 0 : share((v) => v <= scale.min!)
  const ceiling = ceilingShare >= BOUND_SHARE
  const floor = floorShare >= BOUND_SHARE
  if (ceiling)
    note(
      'ceiling',
      `${percent(ceilingShare)} of values are at the maximum of ${scale!.max}: a ceiling effect.`,
    )
  if (floor)
    note(
      'floor',
      `${percent(floorShare)} of values are at the minimum of ${scale!.min}: a floor effect.`,
    )
  const distinct = new Set(values).size
  // "Fewer than 10 distinct values" only means a coarse scale once there are enough values to
  // show it; below SMALL_SAMPLE values a sample of 8 distinct values has no ties at all.
  const heavyTies = !identical && (distinct < n / 2 || (n >= SMALL_SAMPLE && distinct < 10))
  if (heavyTies) {
    note(
      'heavy-ties',
      `Only ${distinct} distinct values among ${n}: the data are coarse, so a smooth curve would mislead.`,
    )
  }
  const leadWith = rejected || small || ceiling || floor ? 'median' : 'mean'
  const plot = small ? 'strip' : 'histogram'
  const showBell =
    plot === 'histogram' && sw !== null && !rejected && !ceiling && !floor && !heavyTies
  return { notes, leadWith, showBell, plot, shapiroWilk: sw }
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`
}

function describeBounds(scale: { min?: number; max?: number }): string {
  if (scale.min !== undefined && scale.max !== undefined) {
    if (scale.min > scale.max)
      throw new StatsError('E_STATS_INPUT', `scale min ${scale.min} > max ${scale.max}`)
    return `${scale.min} to ${scale.max}`
  }
  return scale.min !== undefined ? `at least ${scale.min}` : `at most ${scale.max}`
}
