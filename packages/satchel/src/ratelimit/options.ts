import { type Duration, parseDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import type { ResolvedCoreOptions } from '../core/options.js'
import { ALGORITHMS, type FailurePolicy, type RateLimitAlgorithm } from './types.js'

const POLICIES: readonly FailurePolicy[] = ['open', 'closed', 'insurance']
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

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(field, `expected a positive integer, got ${String(value)}`)
  }
  return value
}

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
  const { name } = options
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new InvalidOptionError(
      'name',
      `expected 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, got ${JSON.stringify(name)}`,
    )
  }
  const algorithm = options.algorithm ?? 'sliding-window'
  if (!ALGORITHMS.includes(algorithm)) {
    throw new InvalidOptionError(
      'algorithm',
      `expected one of ${ALGORITHMS.join(', ')}, got ${JSON.stringify(algorithm)}`,
    )
  }
  const limit = positiveInteger('limit', options.limit)
  if (options.window === undefined) throw new InvalidOptionError('window', 'is required')
  const windowMs = parseDuration(options.window, 'window')
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new InvalidOptionError('window', `expected a whole number of ms >= 1, got ${windowMs}`)
  }
  if (options.refillRate !== undefined && algorithm !== 'token-bucket') {
    throw new InvalidOptionError('refillRate', `applies to token-bucket only, not ${algorithm}`)
  }
  const refillRate = options.refillRate ?? limit
  if (typeof refillRate !== 'number' || !Number.isFinite(refillRate) || refillRate <= 0) {
    throw new InvalidOptionError('refillRate', `expected a positive number, got ${refillRate}`)
  }
  const failurePolicy = options.failurePolicy ?? 'open'
  if (!POLICIES.includes(failurePolicy)) {
    throw new InvalidOptionError(
      'failurePolicy',
      `expected one of ${POLICIES.join(', ')}, got ${JSON.stringify(failurePolicy)}`,
    )
  }
  const timeoutMs =
    options.timeoutMs === undefined ? core.commandMs : parseDuration(options.timeoutMs, 'timeoutMs')
  if (timeoutMs < 1 || timeoutMs > core.commandMs) {
    // The gateway already fails every command at commandMs; a longer limiter timeout could
    // never be honoured, so it is a configuration error rather than a silent clamp.
    throw new InvalidOptionError(
      'timeoutMs',
      `expected 1..${core.commandMs} ms (timeouts.commandMs bounds every command), got ${timeoutMs}`,
    )
  }
  const block = options.blockCache ?? true
  let blockCacheEntries = 0
  if (block === true) blockCacheEntries = 10_000
  else if (typeof block === 'object' && block !== null) {
    blockCacheEntries = positiveInteger('blockCache.maxEntries', block.maxEntries ?? 10_000)
  } else if (block !== false) {
    throw new InvalidOptionError('blockCache', `expected a boolean or an object, got ${block}`)
  }
  const insurance = options.insurance ?? {}
  return {
    name,
    algorithm,
    limit,
    windowMs,
    refillRate,
    failurePolicy,
    timeoutMs,
    blockCacheEntries,
    insuranceLimit: positiveInteger('insurance.limit', insurance.limit ?? limit),
    insuranceEntries: positiveInteger('insurance.maxEntries', insurance.maxEntries ?? 10_000),
  }
}
