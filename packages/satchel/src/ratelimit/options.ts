import { z } from 'zod'
import type { Duration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import {
  durationMs,
  integer,
  MAX_TIMER_MS,
  MAX_TTL_MS,
  oneOf,
  optionsObject,
  resolveWith,
} from '../core/option-schema.js'
import type { ResolvedCoreOptions } from '../core/options.js'
import { ALGORITHMS, type FailurePolicy, type RateLimitAlgorithm } from './types.js'

const POLICIES = ['open', 'closed', 'insurance'] as const satisfies readonly FailurePolicy[]
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/**
 * Options of one rate limiter: one per endpoint policy, created once at startup.
 * @example
 * ```ts
 * const login = satchel.rateLimiter({
 *   name: 'auth-login', algorithm: 'sliding-log', limit: 10, window: '1m', failurePolicy: 'open',
 * })
 * ```
 */
export interface RateLimiterOptions {
  /**
   * The policy's name: part of every key and the `RateLimit-Policy` identifier. 1–64 of
   * `A-Z a-z 0-9 _ . -`, starting with a letter or digit. Two limiters with the same name and
   * algorithm share their counts.
   */
  name: string
  /** @default 'sliding-window' */
  algorithm?: RateLimitAlgorithm
  /** Calls (cost units) per window, or the bucket capacity for `token-bucket`. Positive integer. */
  limit: number
  /** The window (`'1m'`, `60_000`); for `token-bucket`, the period over which `refillRate` tokens are added. */
  window: Duration
  /**
   * `token-bucket` only: tokens added per `window` (fractional allowed).
   * @default limit
   */
  refillRate?: number
  /**
   * What to answer when Redis is slow or down; see {@link FailurePolicy}.
   * @default 'open'
   */
  failurePolicy?: FailurePolicy
  /**
   * Longest wait for Redis per decision before the failure policy decides. At most the core
   * `timeouts.commandMs`, which already bounds every command.
   * @default timeouts.commandMs
   */
  timeoutMs?: Duration
  /**
   * Remember identifiers that are over the limit and reject them in-process until their reset
   * (`reason: 'blocked'`), without a Redis round trip. `false` disables it.
   * @default { maxEntries: 10_000 }
   */
  blockCache?: boolean | { maxEntries?: number }
  /**
   * The in-process limiter used by `failurePolicy: 'insurance'`. Its `limit` is per process: with
   * N processes behind a balancer, `limit / N` keeps the total near the Redis limit.
   * @default { limit: limit, maxEntries: 10_000 }
   */
  insurance?: { limit?: number; maxEntries?: number }
}

/** {@link RateLimiterOptions} validated, durations in ms. */
export interface ResolvedRateLimiterOptions {
  readonly name: string
  readonly algorithm: RateLimitAlgorithm
  readonly limit: number
  readonly windowMs: number
  readonly refillRate: number
  readonly failurePolicy: FailurePolicy
  readonly timeoutMs: number
  /** 0 when the block cache is disabled. */
  readonly blockCacheEntries: number
  readonly insuranceLimit: number
  readonly insuranceEntries: number
}

/** Bounds of the rate limiter options (see the options table in the package README). */
export const RATE_LIMIT_LIMITS = {
  limit: { min: 1, max: 1_000_000_000 },
  windowMs: { min: 1, max: MAX_TTL_MS },
  refillRate: { max: 1_000_000_000 },
  entries: { min: 1, max: 10_000_000 },
} as const

const L = RATE_LIMIT_LIMITS
const entries = integer(L.entries.min, L.entries.max)

const blockCacheSchema = optionsObject({ maxEntries: entries.default(10_000) })

const schema = optionsObject({
  name: z.string({ error: 'expected a string' }).regex(NAME_PATTERN, {
    error: (issue) =>
      `expected 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, got ${JSON.stringify(issue.input)}`,
  }),
  algorithm: oneOf(ALGORITHMS as unknown as [RateLimitAlgorithm, ...RateLimitAlgorithm[]]).default(
    'sliding-window',
  ),
  limit: integer(L.limit.min, L.limit.max),
  window: durationMs(L.windowMs.min, L.windowMs.max),
  refillRate: z
    .number({ error: 'expected a positive number' })
    .positive()
    .max(L.refillRate.max)
    .optional(),
  failurePolicy: oneOf(POLICIES).default('open'),
  timeoutMs: durationMs(1, MAX_TIMER_MS).optional(),
  // A boolean or { maxEntries }: checked in resolveRateLimiterOptions so the nested field is
  // named in errors.
  blockCache: z.unknown().optional(),
  insurance: optionsObject({
    limit: entries.optional(),
    maxEntries: entries.default(10_000),
  }).default({ maxEntries: 10_000 }),
})

/**
 * Validates limiter options once, at creation, so a misconfigured endpoint fails at startup.
 * @throws InvalidOptionError naming the field.
 * @example resolveRateLimiterOptions({ name: 'login', limit: 5, window: '1m' }, core)
 */
export function resolveRateLimiterOptions(
  options: RateLimiterOptions,
  core: Pick<ResolvedCoreOptions, 'commandMs'>,
): ResolvedRateLimiterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('rateLimiter', 'expected an options object')
  }
  if (options.window === undefined) throw new InvalidOptionError('window', 'is required')
  const o = resolveWith(schema, options, '')
  if (o.refillRate !== undefined && o.algorithm !== 'token-bucket') {
    throw new InvalidOptionError('refillRate', `applies to token-bucket only, not ${o.algorithm}`)
  }
  const timeoutMs = o.timeoutMs ?? core.commandMs
  if (timeoutMs > core.commandMs) {
    // The gateway already fails every command at commandMs; a longer limiter timeout could
    // never be honoured, so it is a configuration error rather than a silent clamp.
    throw new InvalidOptionError(
      'timeoutMs',
      `expected 1..${core.commandMs} ms (timeouts.commandMs bounds every command), got ${timeoutMs}`,
    )
  }
  const block =
    o.blockCache === undefined || typeof o.blockCache === 'boolean'
      ? (o.blockCache ?? true)
      : resolveWith(blockCacheSchema, o.blockCache, 'blockCache')
  return {
    name: o.name,
    algorithm: o.algorithm,
    limit: o.limit,
    windowMs: o.window,
    refillRate: o.refillRate ?? o.limit,
    failurePolicy: o.failurePolicy,
    timeoutMs,
    blockCacheEntries: block === true ? 10_000 : block === false ? 0 : block.maxEntries,
    insuranceLimit: o.insurance.limit ?? o.limit,
    insuranceEntries: o.insurance.maxEntries,
  }
}
