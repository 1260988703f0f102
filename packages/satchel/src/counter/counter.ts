import type { SatchelContext } from '../core/context.js'
import { InvalidKeyError, InvalidOptionError, SatchelError } from '../core/errors.js'
import { evalScript } from '../core/scripts.js'
import { counterKey } from './keys.js'
import {
  type CounterOptions,
  type ResolvedCounterOptions,
  resolveCounterOptions,
} from './options.js'
import { ADJUST, BEGIN_RECOUNT, END_RECOUNT, FORGET, READ } from './scripts.js'

/**
 * The outcome of `incr`/`decr`. Not applied is normal: `not-cached` (nothing cached, the next
 * `get` counts), `unavailable` (Redis down: the value is forgotten once Redis answers again),
 * `flag-off`.
 * @example
 * ```ts
 * const r = await pending.incr(orgId)
 * if (r.applied) publish(orgId, r.value)
 * ```
 */
export type AdjustResult =
  | { applied: true; value: number }
  | { applied: false; reason: 'not-cached' | 'unavailable' | 'flag-off' }

/**
 * What `reconcile` found and did.
 * @example
 * ```ts
 * const r = await pending.reconcile(orgId)
 * if (r.drift !== 0) log.warn(r, 'pending counter drifted')
 * ```
 */
export interface ReconcileResult {
  /** The cached value when the recount started; null when nothing was cached. */
  before: number | null
  /** The database count, now cached (unless `stored` is false). */
  after: number
  /** before − after (0 when nothing was cached). */
  drift: number
  /** False when Redis was unavailable or a newer recount superseded this one. */
  stored: boolean
  /**
   * True when increments landed while counting: the stored value is re-verified by the first
   * `get` after the settle window, and `drift` may include those increments.
   */
  raced: boolean
}

/**
 * Counters of one counter since start.
 * @example const { hits, recounts } = pending.stats()
 */
export interface CounterStats {
  /** `get` answered from Redis. */
  hits: number
  /** Database counts (misses, re-verifications, reconciles, fallbacks). */
  recounts: number
  /** `get` answered from the database because Redis was unavailable or the flag is off. */
  fallbacks: number
  /** Increments applied to a cached value. */
  adjusted: number
  /** Recounts that found the cached value off. */
  drifts: number
}

/**
 * A count cached in Redis, kept current by `incr`/`decr` after each database commit and
 * reconciled against the database.
 * @example
 * ```ts
 * await db.insertLoginLinkRequest(orgId, email) // commit first
 * await pending.incr(orgId)                      // then adjust the cached count
 * const n = await pending.get(orgId)
 * ```
 */
export interface Counter {
  /** Adds `by` (default 1) to the cached value, if one is cached. Call after the commit. */
  incr(id: string, by?: number): Promise<AdjustResult>
  /** Subtracts `by` (default 1) from the cached value, if one is cached. Call after the commit. */
  decr(id: string, by?: number): Promise<AdjustResult>
  /**
   * The count: the cached value, or a database count (stored for the next reader) on a miss or
   * when an increment raced the last recount. The database count when Redis is unavailable.
   * Errors of `count` propagate.
   */
  get(id: string): Promise<number>
  /** Recounts in the database and stores the result, reporting the drift it corrected. */
  reconcile(id: string): Promise<ReconcileResult>
  /** Forgets the cached value; the next `get` recounts. False when Redis was unavailable. */
  forget(id: string): Promise<boolean>
  /** Counters since start. */
  stats(): CounterStats
}

// Bounds memory if Redis stays down while many ids are incremented.
const MAX_SUSPECTS = 10_000

/** One counter. Built by `satchel.counter(options)`. */
class RedisCounter implements Counter {
  readonly #ctx: SatchelContext
  readonly #o: ResolvedCounterOptions
  readonly #recounts = new Map<string, Promise<number>>()
  /**
   * Ids whose increment may not have reached Redis (id → sequence of the failure): their value
   * is forgotten, or recounted, once Redis answers again.
   */
  readonly #suspects = new Map<string, number>()
  #suspectSeq = 0
  #flushing: Promise<void> | undefined
  readonly #stats: CounterStats = { hits: 0, recounts: 0, fallbacks: 0, adjusted: 0, drifts: 0 }

  constructor(ctx: SatchelContext, options: CounterOptions) {
    this.#ctx = ctx
    this.#o = resolveCounterOptions(options)
  }

  stats(): CounterStats {
    return { ...this.#stats }
  }

  incr(id: string, by = 1): Promise<AdjustResult> {
    return this.#adjust(id, checkDelta(by))
  }

  decr(id: string, by = 1): Promise<AdjustResult> {
    return this.#adjust(id, -checkDelta(by))
  }

  async get(id: string): Promise<number> {
    const key = this.#key(id)
    if (!this.#redisOn()) return this.#fallback(id)
    this.#flushSuspects()
    // A suspect's cached value may be short by the lost increment: recount it instead.
    if (this.#suspects.has(id)) return this.#sharedRecount(id, key)
    const read = await this.#ctx.gateway.failOpen(
      'counter.get',
      (r) => evalScript(r, READ, [key], []) as Promise<[0] | [1, number]>,
      () => null,
    )
    if (read === null) return this.#fallback(id)
    if (read[0] === 1) {
      this.#stats.hits++
      return Number(read[1])
    }
    return this.#sharedRecount(id, key)
  }

  /** One recount per id per process at a time; concurrent readers share it. */
  #sharedRecount(id: string, key: string): Promise<number> {
    const running = this.#recounts.get(id)
    if (running) return running
    const recount = this.#recount(id, key)
      .then((r) => r.after)
      .finally(() => this.#recounts.delete(id))
    this.#recounts.set(id, recount)
    return recount
  }

  async reconcile(id: string): Promise<ReconcileResult> {
    const key = this.#key(id)
    if (!this.#redisOn()) {
      const after = await this.#countInDatabase(id)
      return { before: null, after, drift: 0, stored: false, raced: false }
    }
    this.#flushSuspects()
    return this.#recount(id, key)
  }

  async forget(id: string): Promise<boolean> {
    const key = this.#key(id)
    if (!this.#ctx.gateway.enabled) return true
    return this.#ctx.gateway.failOpen(
      'counter.forget',
      async (r) => {
        await evalScript(r, FORGET, [key], [])
        return true
      },
      () => false,
    )
  }

  async #adjust(id: string, delta: number): Promise<AdjustResult> {
    const key = this.#key(id)
    if (!this.#ctx.flags.enabled('counters')) return { applied: false, reason: 'flag-off' }
    if (!this.#ctx.gateway.enabled) return { applied: false, reason: 'unavailable' }
    this.#flushSuspects()
    const result = await this.#ctx.gateway.failOpen(
      'counter.adjust',
      (r) => evalScript(r, ADJUST, [key], [delta]) as Promise<[0] | [1, number]>,
      () => null,
    )
    if (result === null) {
      // The increment may or may not have reached Redis (a timeout is ambiguous): forgetting
      // the value later is right either way, and makes the next `get` recount.
      if (this.#suspects.size < MAX_SUSPECTS) this.#suspects.set(id, ++this.#suspectSeq)
      return { applied: false, reason: 'unavailable' }
    }
    if (result[0] === 0) return { applied: false, reason: 'not-cached' }
    this.#stats.adjusted++
    return { applied: true, value: Number(result[1]) }
  }

  /**
   * BEGIN (new generation, lease) → database count → END (store if still current). See
   * `scripts.ts` for why increments that race this window mark the value for re-verification.
   */
  async #recount(id: string, key: string): Promise<ReconcileResult> {
    const o = this.#o
    const suspect = this.#suspects.get(id)
    let begun: [number, string | null]
    try {
      begun = (await this.#ctx.gateway.exec('counter.recount', (r) =>
        evalScript(r, BEGIN_RECOUNT, [key], [o.leaseMs, o.ttlMs]),
      )) as [number, string | null]
    } catch (error) {
      if (!(error instanceof SatchelError)) throw error
      this.#stats.fallbacks++
      const after = await this.#countInDatabase(id)
      return { before: null, after, drift: 0, stored: false, raced: false }
    }
    const [generation, cached] = begun
    const before = cached === null ? null : Number(cached)
    const after = await this.#countInDatabase(id)
    const ended = await this.#ctx.gateway.failOpen(
      'counter.recount',
      (r) =>
        evalScript(r, END_RECOUNT, [key], [generation, after, o.settleMs, o.ttlMs]) as Promise<
          [number, number]
        >,
      () => null,
    )
    const stored = ended?.[0] === 1
    // The stored count replaces whatever a lost increment left behind.
    if (stored && suspect !== undefined) this.#unsuspect(id, suspect)
    const raced = ended === null || ended[1] === 1
    const drift = before === null ? 0 : before - after
    if (drift !== 0 && stored && !raced) {
      this.#stats.drifts++
      this.#ctx.events.emit('counter:drift', {
        name: o.name,
        id,
        before: before as number,
        after,
        drift,
      })
    }
    return { before, after, drift, stored, raced }
  }

  async #countInDatabase(id: string): Promise<number> {
    this.#stats.recounts++
    const n = await this.#o.count(id)
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
      throw new InvalidOptionError('counter.count', `must resolve to an integer, got ${String(n)}`)
    }
    return n
  }

  async #fallback(id: string): Promise<number> {
    this.#stats.fallbacks++
    return this.#countInDatabase(id)
  }

  /**
   * Forgets the suspects' values, in the background (one flush at a time): while Redis is still
   * slow this costs a timeout per flush, which no caller should wait for. A `get` of a suspect
   * does not depend on it: it recounts.
   */
  #flushSuspects(): void {
    if (this.#suspects.size === 0 || this.#flushing) return
    const entries = [...this.#suspects]
    this.#flushing = Promise.all(
      entries.map(async ([id, seq]) => {
        if (await this.forget(id)) this.#unsuspect(id, seq)
      }),
    )
      .catch(() => {})
      .then(() => {
        this.#flushing = undefined
      })
  }

  /** Clears a suspect unless a newer failure for the id came after `seq`. */
  #unsuspect(id: string, seq: number): void {
    if (this.#suspects.get(id) === seq) this.#suspects.delete(id)
  }

  #redisOn(): boolean {
    return this.#ctx.flags.enabled('counters') && this.#ctx.gateway.enabled
  }

  #key(id: string): string {
    if (typeof id !== 'string' || id === '') {
      throw new InvalidKeyError(`counter "${this.#o.name}" needs a non-empty string id`)
    }
    return counterKey(this.#ctx.keys.prefix, this.#o.name, id)
  }
}

function checkDelta(by: number): number {
  if (!Number.isSafeInteger(by) || by < 0) {
    throw new InvalidOptionError('counter.by', `expected a non-negative integer, got ${String(by)}`)
  }
  return by
}

/**
 * Creates a counter. Prefer `satchel.counter(options)`.
 * @throws InvalidOptionError for an invalid name, a missing `count`, or an invalid duration.
 * @example
 * ```ts
 * const pending = createCounter(ctx, { name: 'pending', count: (orgId) => db.countPending(orgId) })
 * ```
 */
export function createCounter(ctx: SatchelContext, options: CounterOptions): Counter {
  return new RedisCounter(ctx, options)
}
