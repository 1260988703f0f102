/**
 * The one error of the statistics module. Callers filter missing values before calling, so a
 * non-finite number is a programming error (`E_STATS_INPUT`); a sample too small or too flat for
 * the statistic asked for is `E_STATS_RANGE`, which a page answers with a validity note instead.
 *
 * @module
 */

/** Codes of {@link StatsError}. */
export type StatsErrorCode = 'E_STATS_INPUT' | 'E_STATS_RANGE'

/**
 * A statistic that cannot be computed for this input.
 * @example if (err instanceof StatsError && err.code === 'E_STATS_RANGE') showNote()
 */
export class StatsError extends Error {
  readonly code: StatsErrorCode
  constructor(code: StatsErrorCode, message: string) {
    super(message)
    this.name = 'StatsError'
    this.code = code
  }
}

/**
 * Throws `E_STATS_INPUT` naming the first non-finite value (NaN, ±Infinity); `what` names the
 * argument in the message.
 */
export function assertFinite(values: readonly number[], what = 'values'): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) {
      throw new StatsError('E_STATS_INPUT', `${what}[${i}] is ${String(v)}: only finite numbers`)
    }
  }
}

/** A sorted copy (ascending), leaving the caller's array alone. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}
