import { randomBytes } from 'node:crypto'
import type { SatchelContext } from '../core/context.js'
import { InvalidOptionError, RedisUnavailableError, SatchelError } from '../core/errors.js'
import { evalScript } from '../core/scripts.js'
import { settleWithin } from '../core/settle-within.js'
import { BlockCache } from './block-cache.js'
import { type Decision, decisionFromReply, toResult } from './decision.js'
import { rateLimitKeyBuilder } from './keys.js'
import { LocalLimiter, localNowUs } from './local-limiter.js'
import {
  type RateLimiterOptions,
  type ResolvedRateLimiterOptions,
  resolveRateLimiterOptions,
} from './options.js'
import { SCRIPTS } from './scripts.js'
import type { LimitOptions, LimitResult, RateLimiterStats } from './types.js'

/**
 * A rate limiter (Contract): one per endpoint policy, created once with
 * `satchel.rateLimiter(options)` and shared by every request.
 *
 * @example
 * ```ts
 * const login = satchel.rateLimiter({ name: 'auth-login', algorithm: 'sliding-log', limit: 10, window: '1m' })
 * const r = await login.limit(emailIdentifier(body.email))
 * if (!r.success) return tooManyRequests(r.retryAfterMs)
 * ```
 */
export interface RateLimiter {
  /** The validated options (durations in ms): name, algorithm, limit, window, policy... */
  readonly options: ResolvedRateLimiterOptions
  /**
   * Decides one call for `identifier`. Never rejects because of Redis: when Redis is slow or
   * down the failure policy answers within `timeoutMs` (with `reason` set).
   * @throws InvalidOptionError (`cost`) for a cost that is not a positive integer;
   *   InvalidKeyError for an empty identifier.
   * @example const { success, remaining } = await limiter.limit('ip:203.0.113.9', { cost: 2 })
   */
  limit(identifier: string, options?: LimitOptions): Promise<LimitResult>
  /**
   * Forgets `identifier`'s state: exactly its one key (no pattern, so `reset('a')` never touches
   * `a:b` and `reset('*')` deletes only the identifier `*`), plus this process's block-cache and
   * insurance entries. Other processes' block caches expire on their own (at most until the
   * reset time they were told).
   * @throws RedisUnavailableError when Redis cannot be reached.
   * @example await limiter.reset(emailIdentifier(email)) // after a successful password reset
   */
  reset(identifier: string): Promise<void>
  /** The Redis key holding `identifier`'s state. @example limiter.key('ip:203.0.113.9') */
  key(identifier: string): string
  /** Counters since creation. @example limiter.stats().blocked */
  stats(): RateLimiterStats
}

// Unique per process; with a per-call counter it makes sliding-log members unique across
// processes without a Redis round trip for a sequence number.
const PROCESS_NONCE = randomBytes(6).toString('base64url')
let sequence = 0

/**
 * Creates a rate limiter; `satchel.rateLimiter(options)` calls this.
 * @throws InvalidOptionError naming the bad field.
 * @example const limiter = createRateLimiter(ctx, { name: 'search', limit: 100, window: '1m' })
 */
export function createRateLimiter(ctx: SatchelContext, options: RateLimiterOptions): RateLimiter {
  return new RedisRateLimiter(ctx, resolveRateLimiterOptions(options, ctx.options))
}

class RedisRateLimiter implements RateLimiter {
  readonly options: ResolvedRateLimiterOptions
  readonly #ctx: SatchelContext
  readonly #key: (identifier: string) => string
  readonly #operation: string
  readonly #windowUs: number
  readonly #blocks: BlockCache | undefined
  readonly #local: LocalLimiter | undefined
  /** Set when `timeoutMs` is below `commandMs`: the gateway alone would wait longer. */
  readonly #raceMs: number | undefined
  #allowed = 0
  #rejected = 0
  #blocked = 0
  #fallbacks = 0
  #flagOff = 0

  constructor(ctx: SatchelContext, options: ResolvedRateLimiterOptions) {
    this.options = options
    this.#ctx = ctx
    this.#key = rateLimitKeyBuilder(ctx.keys.prefix, options.name, options.algorithm)
    this.#operation = `ratelimit.${options.algorithm}`
    this.#windowUs = options.windowMs * 1000
    if (options.blockCacheEntries > 0) this.#blocks = new BlockCache(options.blockCacheEntries)
    if (options.failurePolicy === 'insurance') {
      this.#local = new LocalLimiter({
        algorithm: options.algorithm,
        limit: options.insuranceLimit,
        windowMs: options.windowMs,
        refillRate: (options.refillRate * options.insuranceLimit) / options.limit,
        maxEntries: options.insuranceEntries,
      })
    }
    this.#raceMs = options.timeoutMs < ctx.options.commandMs ? options.timeoutMs : undefined
  }

  key(identifier: string): string {
    return this.#key(identifier)
  }

  async limit(identifier: string, options?: LimitOptions): Promise<LimitResult> {
    const cost = options?.cost ?? 1
    if (cost !== 1 && (!Number.isSafeInteger(cost) || cost < 1)) {
      throw new InvalidOptionError('cost', `expected a positive integer, got ${String(cost)}`)
    }
    const key = this.#key(identifier)
    const limit = this.options.limit
    if (!this.#ctx.flags.enabled('rate_limit')) {
      this.#flagOff++
      this.#allowed++
      const now = localNowUs() / 1000
      return {
        success: true,
        limit,
        remaining: limit,
        resetAt: Math.ceil(now),
        retryAfterMs: 0,
        reason: 'flag-off',
        decidedAt: now,
      }
    }
    const blocked = this.#blocks?.get(identifier)
    if (blocked !== undefined) {
      this.#blocked++
      this.#rejected++
      return {
        success: false,
        limit,
        remaining: 0,
        resetAt: blocked.resetAt,
        // A call costing more than the limit can never pass, blocked or not.
        retryAfterMs: cost > limit ? Number.POSITIVE_INFINITY : Math.ceil(blocked.remainingMs),
        reason: 'blocked',
        decidedAt: localNowUs() / 1000,
      }
    }
    let decision: Decision
    try {
      decision = decisionFromReply(this.#operation, await this.#ask(key, cost))
    } catch (error) {
      // Only Redis trouble takes the failure policy; a bug stays loud.
      if (!(error instanceof SatchelError)) throw error
      return this.#fallback(identifier, cost, error)
    }
    const result = toResult(decision, limit)
    if (result.success) {
      this.#allowed++
    } else {
      this.#rejected++
      if (decision.remaining === 0 && decision.retry1Us > 0) {
        this.#blocks?.block(identifier, decision.retry1Us / 1000, result.resetAt)
      }
    }
    return result
  }

  async reset(identifier: string): Promise<void> {
    const key = this.#key(identifier)
    this.#blocks?.delete(identifier)
    this.#local?.reset(identifier)
    await this.#ctx.gateway.exec('ratelimit.reset', (r) => r.del(key))
  }

  stats(): RateLimiterStats {
    return {
      allowed: this.#allowed,
      rejected: this.#rejected,
      blocked: this.#blocked,
      fallbacks: this.#fallbacks,
      flagOff: this.#flagOff,
      blockedIdentifiers: this.#blocks?.size ?? 0,
    }
  }

  #ask(key: string, cost: number): Promise<unknown> {
    const o = this.options
    const script = SCRIPTS[o.algorithm]
    const extra =
      o.algorithm === 'sliding-log'
        ? `${PROCESS_NONCE}.${(++sequence).toString(36)}`
        : o.algorithm === 'token-bucket'
          ? o.refillRate
          : 0
    const call = this.#ctx.gateway.exec(this.#operation, (r) =>
      evalScript(r, script, [key], [this.#windowUs, o.limit, cost, extra]),
    )
    // The gateway bounds every call, a wait for the connection included, by commandMs; a
    // limiter's own shorter timeoutMs needs a timer of its own (the gateway's deadline list
    // assumes one timeout for every command, which is what makes it cheap). The command itself
    // still settles by commandMs.
    const bound = this.#raceMs
    return bound === undefined
      ? call
      : settleWithin(
          call,
          bound,
          () =>
            new RedisUnavailableError(
              'timeout',
              `Redis did not answer ${this.#operation} within ${bound} ms`,
            ),
        )
  }

  #fallback(identifier: string, cost: number, error: SatchelError): LimitResult {
    const o = this.options
    const reason =
      error instanceof RedisUnavailableError && error.reason === 'timeout' ? 'timeout' : 'error'
    this.#fallbacks++
    const nowMs = localNowUs() / 1000
    let result: LimitResult
    if (o.failurePolicy === 'insurance') {
      result = toResult(this.#local!.decide(identifier, cost), o.insuranceLimit, reason)
    } else if (o.failurePolicy === 'open' && cost <= o.limit) {
      result = {
        success: true,
        limit: o.limit,
        remaining: o.limit - cost,
        resetAt: Math.ceil(nowMs + o.windowMs),
        retryAfterMs: 0,
        reason,
        decidedAt: nowMs,
      }
    } else {
      // Closed (or a cost that can never pass): ask again once the breaker's next probe may
      // have found Redis back; nothing better is known.
      const retryAfterMs =
        cost > o.limit ? Number.POSITIVE_INFINITY : this.#ctx.options.probeIntervalMs
      result = {
        success: false,
        limit: o.limit,
        remaining: 0,
        resetAt: Math.ceil(nowMs + Math.min(retryAfterMs, o.windowMs)),
        retryAfterMs,
        reason,
        decidedAt: nowMs,
      }
    }
    if (result.success) this.#allowed++
    else this.#rejected++
    this.#ctx.events.emit('ratelimit:fallback', {
      limiter: o.name,
      policy: o.failurePolicy,
      reason,
      success: result.success,
      error,
    })
    return result
  }
}
