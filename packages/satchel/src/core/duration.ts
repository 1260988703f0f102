import { InvalidOptionError } from './errors.js'

/** A duration: milliseconds as a number, or a string such as `'250ms'`, `'10s'`, `'10m'`, `'1h'`, `'1d'`. */
export type Duration = number | string

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
// One regex, no dependency: the grammar is five units, and `ms`-style packages accept
// ambiguous forms ("1 year", "1.5 weeks") we would rather reject at startup.
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/

/**
 * Parses a {@link Duration} once, at option-resolution time.
 *
 * @param field - the option name, used in the error message.
 * @throws InvalidOptionError naming `field` when the value is negative, not finite or unparseable.
 * @example parseDuration('10m', 'ttl') // 600000
 */
export function parseDuration(value: Duration, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(
        field,
        `expected a non-negative number of milliseconds, got ${value}`,
      )
    }
    return value
  }
  const match = PATTERN.exec(value.trim())
  if (!match) {
    throw new InvalidOptionError(
      field,
      `cannot parse duration "${value}"; use milliseconds or a number with ms, s, m, h or d (e.g. "10m")`,
    )
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as string]!)
}
