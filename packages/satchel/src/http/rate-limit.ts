/**
 * Rate limiting for Fetch-API handlers: `(request) => Response` code that runs unchanged in a
 * Next.js route handler, Hono, Bun or Deno. Emits the IETF `RateLimit-Policy` and `RateLimit`
 * fields (draft-ietf-httpapi-ratelimit-headers-11: `"name";q=100;w=60` and `"name";r=42;t=17`),
 * `Retry-After` on rejection, and a 429 problem+json body using the draft's `quota-exceeded`
 * problem type.
 *
 * Two ways to use it:
 * - wrap: `await limit(request, (req) => handler(req))` returns the 429, or the handler's
 *   response with the headers added;
 * - check: `const c = await limit.check(request)`; return `c.response` when it is not null,
 *   else `c.apply(await handler())`. Useful when the handler needs the result first.
 *
 * @module
 */
import type { Context, Env, MiddlewareHandler } from 'hono'
import type { RateLimiter } from '../ratelimit/limiter.js'
import type { LimitResult } from '../ratelimit/types.js'
import { problemResponse } from './problem.js'

/**
 * The draft's problem type for a request over its quota.
 * @example if (problem.type === QUOTA_EXCEEDED_TYPE) backOff(response.headers.get('retry-after'))
 */
export const QUOTA_EXCEEDED_TYPE = 'https://iana.org/assignments/http-problem-types#quota-exceeded'

/**
 * Options of {@link rateLimit}.
 * @example
 * ```ts
 * const options: RateLimitHttpOptions = {
 *   identify: (req) =>
 *     ipIdentifier(clientIp({ remoteAddress: undefined, headers: req.headers }, { trustedProxies: 1 })),
 *   cost: 1,
 * }
 * ```
 */
export interface RateLimitHttpOptions {
  /** The identifier to count by, e.g. `ipIdentifier(...)` or `emailIdentifier(body.email)`. */
  identify: (request: Request) => string | Promise<string>
  /**
   * Units this request consumes.
   * @default 1
   */
  cost?: number | ((request: Request) => number | Promise<number>)
  /**
   * The policy name in the headers and problem body.
   * @default the limiter's name
   */
  policyName?: string
}

/**
 * The outcome of {@link RateLimitHandler.check}.
 * @example
 * ```ts
 * const c = await limitLogin.check(request)
 * if (c.response) return c.response
 * return c.apply(Response.json({ ok: true }))
 * ```
 */
export interface RateLimitCheck {
  readonly result: LimitResult
  /** `RateLimit-Policy`, `RateLimit`, and on rejection `Retry-After`. */
  readonly headers: Headers
  /** The 429 problem+json response when rejected; null when admitted. */
  readonly response: Response | null
  /** Adds {@link RateLimitCheck.headers} to a response (copying it if its headers are immutable). */
  apply(response: Response): Response
}

/**
 * A Fetch-API rate-limit step: call it with the request and the handler, or use `check`.
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   return limitLogin(request, (req) => login(req))
 * }
 * ```
 */
export interface RateLimitHandler {
  (request: Request, next: (request: Request) => Response | Promise<Response>): Promise<Response>
  check(request: Request): Promise<RateLimitCheck>
}

/**
 * Quotes a Structured Fields string (RFC 8941 §3.3.3): only `"` and `\` need escaping, and
 * limiter names cannot contain them anyway; a custom `policyName` might.
 */
function sfString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`
}

/**
 * The rate-limit fields for a decision. `RateLimit` is sent for answers that carry real quota
 * information: from Redis, the block cache, the insurance limiter, or any rejection; an answer
 * admitted because Redis was down or the flag is off knows nothing about the quota, so only the
 * (static) policy is sent.
 *
 * `t` is the seconds until the quota is fully restored when admitted, and the Retry-After wait
 * when rejected (the draft: Retry-After SHOULD NOT point earlier than the end of the window).
 *
 * @example rateLimitHeaders(result, limiter) // Headers { ratelimit-policy, ratelimit, ... }
 */
export function rateLimitHeaders(
  result: LimitResult,
  limiter: Pick<RateLimiter, 'options'>,
  policyName = limiter.options.name,
): Headers {
  const name = sfString(policyName)
  const windowSeconds = Math.max(1, Math.ceil(limiter.options.windowMs / 1000))
  const headers = new Headers()
  headers.set('RateLimit-Policy', `${name};q=${limiter.options.limit};w=${windowSeconds}`)
  const fromQuota = !result.success || result.reason === undefined || result.reason === 'blocked'
  if (!fromQuota) return headers
  const finite = Number.isFinite(result.retryAfterMs)
  const waitSeconds = finite ? Math.max(1, Math.ceil(result.retryAfterMs / 1000)) : undefined
  const t = result.success
    ? Math.max(0, Math.ceil((result.resetAt - result.decidedAt) / 1000))
    : waitSeconds
  headers.set('RateLimit', `${name};r=${result.remaining}${t === undefined ? '' : `;t=${t}`}`)
  if (!result.success && waitSeconds !== undefined) headers.set('Retry-After', String(waitSeconds))
  return headers
}

/**
 * The 429 problem+json response for a rejected decision.
 * @example return tooManyRequests(result, headers, 'auth-login')
 */
export function tooManyRequests(
  result: LimitResult,
  headers: Headers,
  policyName: string,
): Response {
  const finite = Number.isFinite(result.retryAfterMs)
  const detail = finite
    ? `Rate limit "${policyName}" exceeded; retry in ${Math.max(1, Math.ceil(result.retryAfterMs / 1000))} s.`
    : `Rate limit "${policyName}" cannot admit a request of this cost.`
  return problemResponse(
    {
      type: QUOTA_EXCEEDED_TYPE,
      title: 'Too Many Requests',
      status: 429,
      detail,
      'violated-policies': [policyName],
    },
    headers,
  )
}

/**
 * Copies `headers` onto `response`. Responses from `fetch()` or `Response.redirect()` have
 * immutable headers; those are re-wrapped (same body stream, status and headers) first.
 * @example return applyRateLimitHeaders(await handler(request), check.headers)
 */
export function applyRateLimitHeaders(response: Response, headers: Headers): Response {
  try {
    mergeRateLimitHeaders(response.headers, headers)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const copy = new Response(response.body, response)
    mergeRateLimitHeaders(copy.headers, headers)
    return copy
  }
}

/**
 * `RateLimit` and `RateLimit-Policy` are lists with one item per policy, so limiters stacked on
 * one route (per IP and per account, say) each add theirs; `Retry-After` keeps the longest wait.
 */
function mergeRateLimitHeaders(target: Headers, headers: Headers): void {
  for (const [name, value] of headers) {
    if (name === 'ratelimit' || name === 'ratelimit-policy') target.append(name, value)
    else if (name === 'retry-after') {
      const current = Number(target.get(name))
      if (!(current >= Number(value))) target.set(name, value)
    } else target.set(name, value)
  }
}

async function costOf<T>(
  cost: number | ((input: T) => number | Promise<number>) | undefined,
  input: T,
): Promise<number> {
  if (cost === undefined) return 1
  return typeof cost === 'number' ? cost : cost(input)
}

/**
 * Rate limiting for any Fetch-API handler.
 * @example
 * ```ts
 * // app/api/auth/login/route.ts (Next.js)
 * const limitLogin = rateLimit(loginLimiter, {
 *   // One proxy in front appends the peer it saw to X-Forwarded-For; the leftmost entry is the
 *   // client's own text and must never be the identifier.
 *   identify: (req) =>
 *     ipIdentifier(clientIp({ remoteAddress: undefined, headers: req.headers }, { trustedProxies: 1 })),
 * })
 * export async function POST(request: Request) {
 *   return limitLogin(request, (req) => handleLogin(req))
 * }
 * ```
 */
export function rateLimit(limiter: RateLimiter, options: RateLimitHttpOptions): RateLimitHandler {
  const policyName = options.policyName ?? limiter.options.name
  const check = async (request: Request): Promise<RateLimitCheck> => {
    const identifier = await options.identify(request)
    const result = await limiter.limit(identifier, { cost: await costOf(options.cost, request) })
    const headers = rateLimitHeaders(result, limiter, policyName)
    return {
      result,
      headers,
      response: result.success ? null : tooManyRequests(result, headers, policyName),
      apply: (response) => applyRateLimitHeaders(response, headers),
    }
  }
  const handler = async (
    request: Request,
    next: (request: Request) => Response | Promise<Response>,
  ): Promise<Response> => {
    const c = await check(request)
    if (c.response) return c.response
    return c.apply(await next(request))
  }
  return Object.assign(handler, { check })
}

/**
 * Options of {@link honoRateLimit}: like {@link RateLimitHttpOptions}, reading the Hono context
 * (so `identify` can use `c.get('session')`, route params, or the connection info).
 * @example { identify: (c) => orgIdentifier(c.get('orgId')) }
 */
export interface HonoRateLimitOptions<E extends Env = Env> {
  identify: (c: Context<E>) => string | Promise<string>
  /** @default 1 */
  cost?: number | ((c: Context<E>) => number | Promise<number>)
  /** @default the limiter's name */
  policyName?: string
}

/**
 * The Hono adapter: a middleware that answers 429 problem+json when rejected and otherwise adds
 * the rate-limit headers to whatever the route returns. Hono is only a type import here.
 * @example
 * ```ts
 * app.post('/api/auth/login', honoRateLimit(loginLimiter, {
 *   identify: (c) => ipIdentifier(clientIp(
 *     { remoteAddress: getConnInfo(c).remote.address, headers: c.req.raw.headers },
 *     { trustedProxies: ['10.0.0.0/8'] },
 *   )),
 * }), loginHandler)
 * ```
 */
export function honoRateLimit<E extends Env = Env>(
  limiter: RateLimiter,
  options: HonoRateLimitOptions<E>,
): MiddlewareHandler<E> {
  const policyName = options.policyName ?? limiter.options.name
  return async (c, next) => {
    const identifier = await options.identify(c)
    const result = await limiter.limit(identifier, { cost: await costOf(options.cost, c) })
    const headers = rateLimitHeaders(result, limiter, policyName)
    if (!result.success) return tooManyRequests(result, headers, policyName)
    await next()
    // The same merge as applyRateLimitHeaders, through c.header (which re-wraps a finalised
    // response whose headers are immutable): limiters stacked on one route each append their
    // items. Assigning c.res instead would not do: Hono copies the old response's headers over
    // the new one with set(), dropping the appended items.
    for (const [name, value] of headers) {
      if (name === 'ratelimit' || name === 'ratelimit-policy')
        c.header(name, value, { append: true })
      else if (name === 'retry-after') {
        if (!(Number(c.res.headers.get(name)) >= Number(value))) c.header(name, value)
      } else c.header(name, value)
    }
    return undefined
  }
}
