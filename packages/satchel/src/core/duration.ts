import { InvalidOptionError } from './errors.js'

/** A duration: milliseconds as a number, or a string such as `'250ms'`, `'10s'`, `'10m'`, `'1h'`, `'1d'`. */
export type Duration = number | string

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
// One regex, no dependency: the grammar is five units, and `ms`-style packages accept
// ambiguous forms ("1 year", "1.5 weeks") we would rather reject at startup.
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/

/**
 * Reads a {@link Duration} as whole milliseconds, or says why it cannot.
 *
 * Fractions of a millisecond are rounded to the nearest whole one (`1000.5` → `1001`), for
 * numbers and strings alike: Redis takes whole milliseconds (`PX`, `PEXPIRE` and scripts reject
 * or truncate anything else), and every duration satchel sends it comes from here.
 */
export function readDuration(value: unknown): { ms: number } | { problem: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      return { problem: `expected a non-negative number of milliseconds, got ${value}` }
    }
    return { ms: Math.round(value) }
  }
  if (typeof value !== 'string') {
    return {
      problem: `expected milliseconds or a string such as "10m", got ${value === null ? 'null' : typeof value}`,
    }
  }
  const match = PATTERN.exec(value.trim())
  if (!match) {
    return {
      problem: `cannot parse duration "${value}"; use milliseconds or a number with ms, s, m, h or d (e.g. "10m")`,
    }
  }
  return { ms: Math.round(Number(match[1]) * UNIT_MS[match[2] as string]!) }
}

/**
 * Parses a {@link Duration} once, at option-resolution time, to whole milliseconds (fractions
 * rounded to the nearest millisecond).
 *
 * @param field - the option name, used in the error message.
 * @throws InvalidOptionError naming `field` when the value is negative, not finite or unparseable.
 * @example parseDuration('10m', 'ttl') // 600000
 */
export function parseDuration(value: Duration, field: string): number {
  const read = readDuration(value)
  if ('problem' in read) throw new InvalidOptionError(field, read.problem)
  return read.ms
}
