/**
 * The rate limiter's public result and algorithm types (a public contract: see docs/architecture.md).
 * @module
 */

/**
 * How a limiter counts.
 *
 * - `fixed-window`: at most `limit` per window aligned to the epoch (`floor(now / window)`).
 *   Cheapest; a client can get up to 2·limit through in an unaligned interval of one window
 *   (the end of one window plus the start of the next).
 * - `sliding-window`: two-window weighting (Cloudflare's approximation): the previous window's
 *   count is weighted by how much of it still overlaps the sliding interval. One small hash per
 *   identifier; smooths the boundary burst but is approximate and can still admit up to 2·limit
 *   in an unaligned interval in the worst case (all of the previous window's calls at its very
 *   end, then a full quota as its weight decays).
 * - `sliding-log`: exact: a sorted set of admitted timestamps; at most `limit` in every interval
 *   of length `window`. Memory grows with `limit`.
 * - `token-bucket`: a bucket of `limit` tokens refilled at `refillRate` tokens per `window`;
 *   allows bursts of `limit`. In any interval of length T at most `limit + refillRate·T/window`
 *   cost is admitted (so up to 2·limit in one window with the default `refillRate = limit`).
 *
 * @example const algorithm: RateLimitAlgorithm = 'sliding-log'
 */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'sliding-log' | 'token-bucket'

/** Every algorithm, for validation and iteration. @example ALGORITHMS.includes('token-bucket') */
export const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'fixed-window',
  'sliding-window',
  'sliding-log',
  'token-bucket',
]

/**
 * What a limiter does when Redis cannot answer in time (timeout, breaker open, disconnected,
 * memory-only):
 * - `open`: admit (`success: true`), the usual choice for auth endpoints: a Redis outage must
 *   not lock users out.
 * - `closed`: reject, for endpoints where over-admission is worse than refusing (expensive
 *   exports, SMS sending).
 * - `insurance`: an in-process limiter of the same algorithm decides, so each process still
 *   enforces the limit on what it sees.
 *
 * @example const policy: FailurePolicy = 'insurance'
 */
export type FailurePolicy = 'open' | 'closed' | 'insurance'

/**
 * Why an answer did not come from Redis (absent when it did):
 * - `timeout`: Redis did not answer within `timeoutMs`; the failure policy decided;
 * - `error`: Redis was unavailable (breaker open, disconnected, memory-only, closed) or replied
 *   with an error; the failure policy decided;
 * - `blocked`: the identifier was already over the limit, so the in-process block cache
 *   rejected it without asking Redis;
 * - `flag-off`: the `rate_limit` flag is off; every call is admitted.
 *
 * @example if (result.reason === 'timeout') metrics.rateLimitFallback.inc()
 */
export type LimitReason = 'timeout' | 'error' | 'blocked' | 'flag-off'

/**
 * One rate-limit decision (Contract).
 * @example
 * ```ts
 * const r = await limiter.limit(ipIdentifier(ip))
 * if (!r.success) return new Response('slow down', { status: 429 })
 * ```
 */
export interface LimitResult {
  /** Whether the call is admitted. */
  readonly success: boolean
  /** The limiter's `limit` (window quota or bucket capacity). */
  readonly limit: number
  /** Quota left after this call (whole units, never negative). */
  readonly remaining: number
  /** Epoch ms at which the quota is fully restored if no further calls arrive. */
  readonly resetAt: number
  /**
   * On rejection: ms until a call of the same cost could succeed (`Infinity` when `cost` exceeds
   * `limit`, which never succeeds). 0 when admitted.
   */
  readonly retryAfterMs: number
  /** Set when the answer did not come from Redis; see {@link LimitReason}. */
  readonly reason?: LimitReason
  /**
   * Epoch ms (with µs fraction) at which the decision was taken: Redis server time for answers
   * from Redis, this process's clock otherwise. Lets callers order decisions across processes.
   */
  readonly decidedAt: number
}

/**
 * Per-call options of `limiter.limit`.
 * @example await limiter.limit(userId, { cost: 5 })
 */
export interface LimitOptions {
  /**
   * Units this call consumes: a positive integer. A call whose cost exceeds `limit` is rejected
   * without changing any state.
   * @default 1
   */
  cost?: number
}

/**
 * Counters of one limiter since it was created.
 * @example const { rejected, blocked } = limiter.stats()
 */
export interface RateLimiterStats {
  /** Calls admitted (from Redis or by the failure policy or flag). */
  allowed: number
  /** Calls rejected (from Redis, by the block cache or by the failure policy). */
  rejected: number
  /** Of the rejections, how many the block cache answered without Redis. */
  blocked: number
  /** Calls decided by the failure policy because Redis could not answer. */
  fallbacks: number
  /** Calls admitted because the `rate_limit` flag is off. */
  flagOff: number
  /** Identifiers currently held in the block cache. */
  blockedIdentifiers: number
}
