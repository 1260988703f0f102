/**
 * The in-process limiter behind `failurePolicy: 'insurance'`: the same four algorithms as the Lua
 * scripts in `scripts.ts`, line for line, on this process's clock. State lives in an LRU whose
 * entries expire like the Redis keys do (never an entry without a TTL), so memory stays bounded
 * by `maxEntries` however many identifiers an outage sees.
 *
 * @module
 */
import { LRUCache } from 'lru-cache'
import type { Decision } from './decision.js'
import type { RateLimitAlgorithm } from './types.js'

type WindowState = { w: number; c: number; p: number }
type BucketState = { t: number; ts: number }
/** Admitted timestamps (µs), oldest first, one entry per cost unit. */
type LogState = number[]
type State = WindowState | BucketState | LogState

/** Epoch µs from the monotonic clock: never steps back when NTP adjusts the wall clock. */
export function localNowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000)
}

/**
 * An in-process limiter.
 * @example
 * ```ts
 * const local = new LocalLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 1000, refillRate: 10, maxEntries: 1000 })
 * local.decide('user-1', 1).allowed
 * ```
 */
export class LocalLimiter {
  readonly #algorithm: RateLimitAlgorithm
  readonly #limit: number
  readonly #window: number
  readonly #rate: number
  readonly #states: LRUCache<string, State>
  readonly #clock: () => number

  constructor(options: {
    algorithm: RateLimitAlgorithm
    limit: number
    windowMs: number
    refillRate: number
    maxEntries: number
    /** µs clock, for tests. @default localNowUs */
    clock?: () => number
  }) {
    this.#algorithm = options.algorithm
    this.#limit = options.limit
    this.#window = options.windowMs * 1000
    this.#rate = options.refillRate / this.#window
    this.#states = new LRUCache<string, State>({ max: options.maxEntries })
    this.#clock = options.clock ?? localNowUs
  }

  /** Identifiers with live state. */
  get size(): number {
    return this.#states.size
  }

  /** Decides one call of `cost` for `identifier`. */
  decide(identifier: string, cost: number): Decision {
    const now = this.#clock()
    switch (this.#algorithm) {
      case 'fixed-window':
        return this.#fixed(identifier, cost, now)
      case 'sliding-window':
        return this.#sliding(identifier, cost, now)
      case 'sliding-log':
        return this.#log(identifier, cost, now)
      case 'token-bucket':
        return this.#bucket(identifier, cost, now)
    }
  }

  /** Forgets one identifier. */
  reset(identifier: string): void {
    this.#states.delete(identifier)
  }

  #store(identifier: string, state: State, ttlUs: number): void {
    // +1 ms: lru-cache reads its clock at ms resolution; expiring early would reset a count.
    this.#states.set(identifier, state, { ttl: Math.ceil(ttlUs / 1000) + 1 })
  }

  #fixed(id: string, cost: number, now: number): Decision {
    const limit = this.#limit
    const window = this.#window
    const w = Math.floor(now / window)
    const stored = this.#states.get(id) as WindowState | undefined
    let c = stored?.w === w ? stored.c : 0
    const end = (w + 1) * window
    if (cost <= limit && c + cost <= limit) {
      c += cost
      this.#store(id, { w, c, p: 0 }, end - now)
      return decision(true, limit - c, end, 0, 0, now)
    }
    return decision(
      false,
      Math.max(0, limit - c),
      c > 0 ? end : now,
      cost <= limit ? end - now : -1,
      c >= limit ? end - now : 0,
      now,
    )
  }

  #sliding(id: string, cost: number, now: number): Decision {
    const limit = this.#limit
    const window = this.#window
    const w = Math.floor(now / window)
    const stored = this.#states.get(id) as WindowState | undefined
    let c = 0
    let p = 0
    if (stored?.w === w) {
      c = stored.c
      p = stored.p
    } else if (stored?.w === w - 1) {
      p = stored.c
    }
    const elapsed = now - w * window
    const weight = (window - elapsed) / window
    if (cost <= limit && p * weight + c + cost <= limit) {
      c += cost
      this.#store(id, { w, c, p }, (w + 2) * window - now)
      return decision(
        true,
        Math.max(0, Math.floor(limit - p * weight - c)),
        (w + 2) * window,
        0,
        0,
        now,
      )
    }
    const retryFor = (k: number): number => {
      if (k > limit) return -1
      if (c + k <= limit && p > 0)
        return Math.ceil(window - (window * (limit - c - k)) / p - elapsed)
      const e = c > 0 ? Math.max(0, window - (window * (limit - k)) / c) : 0
      return Math.ceil(window - elapsed + e)
    }
    const remaining = Math.max(0, Math.floor(limit - p * weight - c))
    const reset = c > 0 ? (w + 2) * window : p > 0 ? (w + 1) * window : now
    return decision(false, remaining, reset, retryFor(cost), remaining === 0 ? retryFor(1) : 0, now)
  }

  #log(id: string, cost: number, now: number): Decision {
    const limit = this.#limit
    const window = this.#window
    const from = now - window
    const log = (this.#states.get(id) as LogState | undefined) ?? []
    // Entries are in time order: the live ones are a suffix.
    let first = 0
    while (first < log.length && log[first]! <= from) first++
    const count = log.length - first
    if (cost <= limit && count + cost <= limit) {
      const next = log.slice(first)
      for (let i = 0; i < cost; i++) next.push(now)
      this.#store(id, next, window)
      return decision(true, limit - count - cost, now + window, 0, 0, now)
    }
    const retryFor = (k: number): number =>
      k > limit ? -1 : log[first + count + k - limit - 1]! + window - now
    const remaining = Math.max(0, limit - count)
    const reset = count > 0 ? log[log.length - 1]! + window : now
    return decision(false, remaining, reset, retryFor(cost), remaining === 0 ? retryFor(1) : 0, now)
  }

  #bucket(id: string, cost: number, now: number): Decision {
    const limit = this.#limit
    const rate = this.#rate
    const stored = this.#states.get(id) as BucketState | undefined
    let tokens = limit
    if (stored) tokens = Math.min(limit, stored.t + Math.max(0, now - stored.ts) * rate)
    if (cost <= limit && tokens >= cost) {
      tokens -= cost
      const full = (limit - tokens) / rate
      this.#store(id, { t: tokens, ts: now }, full)
      return decision(true, Math.floor(tokens), Math.ceil(now + full), 0, 0, now)
    }
    const retryFor = (k: number): number => (k > limit ? -1 : Math.ceil((k - tokens) / rate))
    const remaining = Math.floor(tokens)
    return decision(
      false,
      remaining,
      Math.ceil(now + (limit - tokens) / rate),
      retryFor(cost),
      remaining === 0 ? retryFor(1) : 0,
      now,
    )
  }
}

function decision(
  allowed: boolean,
  remaining: number,
  resetAtUs: number,
  retryUs: number,
  retry1Us: number,
  nowUs: number,
): Decision {
  return { allowed, remaining, resetAtUs, retryUs, retry1Us, nowUs }
}
