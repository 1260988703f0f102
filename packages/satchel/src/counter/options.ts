import { type Duration, parseDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'

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

function positiveDuration(value: Duration, field: string): number {
  const ms = parseDuration(value, field)
  if (ms < 1) throw new InvalidOptionError(field, 'must be at least 1 ms')
  return Math.round(ms)
}

/**
 * Validates the options once, at construction.
 * @throws InvalidOptionError naming the field.
 */
export function resolveCounterOptions(options: CounterOptions): ResolvedCounterOptions {
  if (typeof options.name !== 'string' || !NAME.test(options.name)) {
    throw new InvalidOptionError(
      'counter.name',
      `expected 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, got ${JSON.stringify(options.name)}`,
    )
  }
  if (typeof options.count !== 'function') {
    throw new InvalidOptionError(
      'counter.count',
      `expected a function, got ${typeof options.count}`,
    )
  }
  return {
    name: options.name,
    count: options.count,
    ttlMs: positiveDuration(options.ttl ?? '1h', 'counter.ttl'),
    settleMs: positiveDuration(options.settle ?? '1s', 'counter.settle'),
    leaseMs: positiveDuration(options.lease ?? '30s', 'counter.lease'),
  }
}
