import { z } from 'zod'
import type { Duration } from '../core/duration.js'
import {
  callback,
  durationMs,
  MAX_TIMER_MS,
  MAX_TTL_MS,
  optionsObject,
  resolveWith,
} from '../core/option-schema.js'

/**
 * Options of {@link createCounter} (`satchel.counter(options)`).
 * @example
 * ```ts
 * const pending = satchel.counter({
 *   name: 'login-link-pending',
 *   count: async (orgId) => db.countPendingLoginLinks(orgId),
 * })
 * ```
 */
export interface CounterOptions {
  /** Names the counter in keys and events: 1–64 of `A-Z a-z 0-9 _ . -`. */
  name: string
  /** The authority: counts in the database. Called on a miss, on re-verification and by `reconcile`. */
  count: (id: string) => Promise<number> | number
  /**
   * How long a recounted value lives in Redis. Increments do not extend it, so this also bounds
   * how long any drift (a process that died between its commit and its `incr`) can survive
   * without `reconcile`.
   * @default '1h'
   */
  ttl?: Duration
  /**
   * The longest expected gap between a database commit and its `incr`/`decr`. An increment
   * arriving within this long after a recount stored its result may already be in that count, so
   * it marks the value for re-verification (one recount once the window has passed) instead of
   * being trusted. An increment arriving later than this after its commit can be counted twice
   * until the next recount.
   * @default '1s'
   */
  settle?: Duration
  /**
   * Upper bound on one database count. A recount that takes longer still stores its result,
   * marked for re-verification.
   * @default '30s'
   */
  lease?: Duration
}

/** {@link CounterOptions} after validation. */
export interface ResolvedCounterOptions {
  name: string
  count: (id: string) => Promise<number> | number
  ttlMs: number
  settleMs: number
  leaseMs: number
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/** Bounds of the counter options (see the options table in the package README). */
export const COUNTER_LIMITS = {
  ttlMs: { min: 1, max: MAX_TTL_MS },
  settleMs: { min: 1, max: MAX_TIMER_MS },
  leaseMs: { min: 1, max: MAX_TIMER_MS },
} as const

const L = COUNTER_LIMITS

const schema = optionsObject({
  name: z.string({ error: 'expected a string' }).regex(NAME, {
    error: (issue) =>
      `expected 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, got ${JSON.stringify(issue.input)}`,
  }),
  count: callback<CounterOptions['count']>(),
  ttl: durationMs(L.ttlMs.min, L.ttlMs.max).default(3_600_000),
  settle: durationMs(L.settleMs.min, L.settleMs.max).default(1000),
  lease: durationMs(L.leaseMs.min, L.leaseMs.max).default(30_000),
})

/**
 * Validates the options once, at construction.
 * @throws InvalidOptionError naming the field (`counter.ttl`...).
 */
export function resolveCounterOptions(options: CounterOptions): ResolvedCounterOptions {
  const o = resolveWith(schema, options, 'counter')
  return { name: o.name, count: o.count, ttlMs: o.ttl, settleMs: o.settle, leaseMs: o.lease }
}
