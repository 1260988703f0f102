/**
 * Fetch-API HTTP helpers: `(request: Request) => Response` building blocks that run unchanged in
 * Hono, Next.js route handlers, Bun or Deno, plus thin Hono adapters.
 *
 * @packageDocumentation
 */

export {
  type AuthorizeResult,
  type CacheAdminOptions,
  type CacheAdminSatchel,
  type ClearRequest,
  type ClearResult,
  cacheAdminHandler,
  cacheAdminRoute,
  clearRequestSchema,
} from './cache-admin.js'
export { type ClientIpInput, type ClientIpOptions, clientIp, normalizeIp } from './client-ip.js'
export { healthHandler, healthRoute } from './health.js'
export {
  type FetchHandler,
  type HonoContextLike,
  honoIdempotency,
  IDEMPOTENCY_RECORDED_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type IdempotencyIdentity,
  type IdempotencyMiddleware,
  type IdempotencyMiddlewareOptions,
  idempotency,
  NOT_REPLAYABLE_TYPE,
  replayResponse,
} from './idempotency.js'
export { type ParsedIdempotencyKey, parseIdempotencyKey } from './idempotency-key-header.js'
export {
  HttpError,
  httpErrorResponse,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problemResponse,
} from './problem.js'
export {
  applyRateLimitHeaders,
  type HonoRateLimitOptions,
  honoRateLimit,
  QUOTA_EXCEEDED_TYPE,
  type RateLimitCheck,
  type RateLimitHandler,
  type RateLimitHttpOptions,
  rateLimit,
  rateLimitHeaders,
  tooManyRequests,
} from './rate-limit.js'
