/**
 * Rate limiting: four algorithms, each one atomic Lua script on Redis server time; a failure
 * policy (open, closed, insurance) bounded by `timeoutMs`; an in-process block cache for
 * identifiers already over the limit; identifier helpers. HTTP middleware lives in
 * `satchel/http` (`rateLimit`, `honoRateLimit`).
 *
 * @module
 */
export {
  emailIdentifier,
  identifiers,
  ipIdentifier,
  orgIdentifier,
  usernameIdentifier,
} from './identifiers.js'
export { rateLimitKeyBuilder } from './keys.js'
export { createRateLimiter, type RateLimiter } from './limiter.js'
export { LocalLimiter } from './local-limiter.js'
export type { RateLimiterOptions, ResolvedRateLimiterOptions } from './options.js'
export { SCRIPTS as RATE_LIMIT_SCRIPTS } from './scripts.js'
export {
  ALGORITHMS,
  type FailurePolicy,
  type LimitOptions,
  type LimitReason,
  type LimitResult,
  type RateLimitAlgorithm,
  type RateLimiterStats,
} from './types.js'
