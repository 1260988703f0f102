/**
 * Building blocks for option schemas: every capability resolves its options in one place with
 * zod, and a failure becomes one `E_INVALID_OPTION` naming the field by its full path
 * (`locks.retry.delay`). Bounds are documented in the package README's options table.
 *
 * @module
 */
import { z } from 'zod'
import { readDuration } from './duration.js'
import { InvalidOptionError } from './errors.js'

/**
 * The longest timer Node runs as asked (2^31 − 1 ms, about 24.8 days): a longer `setTimeout`
 * fires at once. Any duration satchel waits on with a timer is capped here.
 */
export const MAX_TIMER_MS = 2_147_483_647

/** The longest lifetime satchel gives anything it stores in Redis: 365 days. */
export const MAX_TTL_MS = 365 * 86_400_000

/**
 * A duration option (milliseconds or `'10m'`) resolved to whole milliseconds within
 * `[min, max]`.
 * @example durationMs(1, MAX_TIMER_MS).default(10_000)
 */
export function durationMs(min: number, max: number) {
  return z.unknown().transform((value, ctx): number => {
    const read = readDuration(value)
    if ('problem' in read) {
      ctx.addIssue({ code: 'custom', message: read.problem })
      return z.NEVER
    }
    if (read.ms < min || read.ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${min} to ${max} ms, got ${read.ms}${typeof value === 'string' ? ` ("${value}")` : ''}`,
      })
      return z.NEVER
    }
    return read.ms
  })
}

/** An integer option within `[min, max]`; `Infinity` too when `infinite` is set. */
export function integer(min: number, max: number, infinite = false) {
  return z.unknown().transform((value, ctx): number => {
    if (infinite && value === Number.POSITIVE_INFINITY) return value
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an integer from ${min} to ${max}${infinite ? ' or Infinity' : ''}, got ${describe(value)}`,
      })
      return z.NEVER
    }
    return value
  })
}

/** A function option (a callback such as a loader or a predicate). */
export function callback<F extends (...args: never[]) => unknown>() {
  return z.custom<F>((value) => typeof value === 'function', {
    error: (issue) => `expected a function, got ${describe(issue.input)}`,
  })
}

/** One of a few string literals. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.custom<T[number]>((value) => (values as readonly unknown[]).includes(value), {
    error: (issue) =>
      `expected ${values.map((v) => `'${v}'`).join(', ')}, got ${describe(issue.input)}`,
  })
}

/** An options object (or nothing): a non-object gets a clear message rather than zod's. */
export function optionsObject<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, {
    error: (issue) => `expected an options object, got ${describe(issue.input)}`,
  })
}

/**
 * Validates `input` against `schema` and returns the resolved options.
 * @param path - where these options sit, prefixed to every field name (`'locks'`), or `''`.
 * @throws InvalidOptionError naming the first invalid field by its full path; the message
 *   lists every problem found.
 */
export function resolveWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  path: string,
): z.output<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues
  const name = (issue: z.core.$ZodIssue): string =>
    [path, ...issue.path.map(String)].filter((part) => part !== '').join('.') || 'options'
  const first = issues[0]!
  const message =
    issues.length === 1
      ? first.message
      : issues.map((issue) => `${name(issue)}: ${issue.message}`).join('; ')
  throw new InvalidOptionError(name(first), message, { cause: parsed.error })
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return typeof value
}
