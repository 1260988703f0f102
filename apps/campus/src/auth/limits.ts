/**
 * Rate limits of the sign-in endpoints, each with its own thresholds, per client IP (through
 * the trusted-proxy-aware address) and per account or email. All fail open: when Redis is slow
 * or down a sign-in is never refused for want of a counter (docs/auth.md). Identifiers of
 * accounts are hashes of the lower-cased email, so no address appears in a Redis key.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { LimitResult, RateLimiter, Satchel } from 'satchel'
import { ipIdentifier } from 'satchel'
import { applyRateLimitHeaders, rateLimitHeaders, tooManyRequests } from 'satchel/http'
import { clientIpOf } from '../web/client-ip.js'

/** The limiters of the sign-in flows (and the login-link request, which shares their shape). */
export interface AuthLimits {
  readonly loginIp: RateLimiter
  readonly loginAccount: RateLimiter
  readonly magicIp: RateLimiter
  readonly magicEmail: RateLimiter
  readonly onboardingIp: RateLimiter
  readonly onboardingAccount: RateLimiter
  readonly loginLinkIp: RateLimiter
  readonly loginLinkEmail: RateLimiter
}

/**
 * Creates the limiters. Thresholds (docs/auth.md): login 30 per IP per 5 min and 10 per account
 * per 15 min (reset by a successful sign-in); magic link 10 per IP and 3 per email per 15 min;
 * onboarding 20 per IP and 10 per invitation per 15 min; login-link request 5 per IP and 2 per
 * email per hour.
 */
export function createAuthLimits(satchel: Satchel): AuthLimits {
  const make = (name: string, limit: number, window: string): RateLimiter =>
    satchel.rateLimiter({ name, limit, window, algorithm: 'sliding-window', failurePolicy: 'open' })
  return {
    loginIp: make('auth-login-ip', 30, '5m'),
    loginAccount: make('auth-login-account', 10, '15m'),
    magicIp: make('auth-magic-ip', 10, '15m'),
    magicEmail: make('auth-magic-email', 3, '15m'),
    onboardingIp: make('auth-onboarding-ip', 20, '15m'),
    onboardingAccount: make('auth-onboarding-account', 10, '15m'),
    loginLinkIp: make('login-link-ip', 5, '1h'),
    loginLinkEmail: make('login-link-email', 2, '1h'),
  }
}

/** The per-account identifier of an email: its SHA-256, never the address itself. */
export function accountIdentifier(email: string): string {
  return `acct:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`
}

/** The per-IP identifier of the request's client (trusted-proxy aware). */
export function clientIdentifier(c: Context): string {
  return ipIdentifier(clientIpOf(c))
}

/** The outcome of {@link checkLimits}. */
export interface LimitCheck {
  /** The 429 to return, or null when every limiter admitted the request. */
  readonly response: Response | null
  /** Adds every limiter's `RateLimit`/`RateLimit-Policy` fields to the handler's response. */
  apply(response: Response): Response
  readonly results: readonly LimitResult[]
}

/**
 * Counts one request against each `(limiter, identifier)` pair, in parallel. Any rejection →
 * a 429 problem+json with `Retry-After` naming the violated policies; otherwise the headers of
 * every policy are added to the response. Fail-open is each limiter's own policy.
 *
 * @example
 * const check = await checkLimits([[limits.loginIp, clientIdentifier(c)], [limits.loginAccount, accountIdentifier(email)]])
 * if (check.response) return check.response
 * return check.apply(await handle())
 */
export async function checkLimits(
  pairs: ReadonlyArray<readonly [RateLimiter, string]>,
): Promise<LimitCheck> {
  const results = await Promise.all(pairs.map(([limiter, id]) => limiter.limit(id)))
  const headers = new Headers()
  let rejected: { result: LimitResult; name: string } | undefined
  const violated: string[] = []
  results.forEach((result, i) => {
    const limiter = (pairs[i] as readonly [RateLimiter, string])[0]
    const own = rateLimitHeaders(result, limiter)
    for (const [name, value] of own) {
      if (name === 'retry-after') {
        if (!(Number(headers.get(name)) >= Number(value))) headers.set(name, value)
      } else headers.append(name, value)
    }
    if (!result.success) {
      violated.push(limiter.options.name)
      if (!rejected || result.retryAfterMs > rejected.result.retryAfterMs) {
        rejected = { result, name: limiter.options.name }
      }
    }
  })
  const apply = (response: Response): Response => applyRateLimitHeaders(response, headers)
  if (!rejected) return { response: null, apply, results }
  const response = tooManyRequests(rejected.result, headers, rejected.name)
  if (violated.length > 1) {
    const body = (await response.json()) as Record<string, unknown>
    body['violated-policies'] = violated
    return {
      response: new Response(JSON.stringify(body), { status: 429, headers: response.headers }),
      apply,
      results,
    }
  }
  return { response, apply, results }
}
