import { z } from 'zod'
import type { Duration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import {
  durationMs,
  integer,
  MAX_TIMER_MS,
  MAX_TTL_MS,
  oneOf,
  optionsObject,
  resolveWith,
} from '../core/option-schema.js'

/**
 * How `acquire` waits for a held lock: up to `attempts` tries, `delay` plus a random share of
 * `jitter` apart. An outage is never retried (see {@link LocksOptions}).
 *
 * @example
 * ```ts
 * await satchel.locks.acquire('report:42', { retry: { attempts: 20, delay: '50ms', jitter: 50 } })
 * ```
 */
export interface RetryOptions {
  /**
   * Tries in total, the first included. `Infinity` waits until the lock is free or `signal`
   * aborts. Give either `attempts` or `retries`.
   * @default 10
   */
  attempts?: number
  /** Retries after the first try: `retries: 2` is `attempts: 3`. */
  retries?: number
  /** Wait between two tries. @default 100 */
  delay?: Duration
  /**
   * Extra random wait, uniform in `[0, jitter)`, added to each `delay` so that waiters in many
   * processes do not retry in lockstep.
   * @default 100
   */
  jitter?: Duration
}

/**
 * Defaults of `satchel.locks`, passed as `createSatchel({ locks })`.
 *
 * @example
 * ```ts
 * const satchel = createSatchel({ redis: url, locks: { ttl: '30s', retry: { attempts: 1 } } })
 * ```
 */
export interface LocksOptions {
  /** How long a lock lives unless released or extended. @default 10000 (10 s) */
  ttl?: Duration
  /** Default retry policy; `false` tries once. @default { attempts: 10, delay: 100, jitter: 100 } */
  retry?: RetryOptions | false
  /**
   * Lifetime of a resource's fence key, refreshed on every acquire. Fences are
   * `max(last + 1, server clock in µs)`, so a lost fence key (idle past this TTL, evicted, Redis
   * restarted without persistence) still never makes a fence go backwards while the server
   * clock moves forward; the stored value only protects against the clock stepping back
   * (an NTP step, a failover to a host whose clock is behind). Longer means safer against clock
   * steps and one small key per resource kept that long.
   * @default 2592000000 (30 days)
   */
  fenceTtl?: Duration
  /**
   * What `acquire` does when locks cannot use Redis by configuration: the `locking` flag is off
   * or satchel is memory-only. `'local'`: an in-process lock per resource (exclusive within this
   * process only; fences from a process-wide clock-seeded counter), so a flag rollback keeps
   * the endpoints working and the database's own status check stays the cross-process guard.
   * `'reject'`: throw `E_REDIS_UNAVAILABLE` (reason `memory-only`), as during an outage.
   * A Redis outage always throws `E_REDIS_UNAVAILABLE`, whatever this says.
   * @default 'local'
   */
  whenDisabled?: 'local' | 'reject'
}

/**
 * Per-call options of `acquire`.
 *
 * @example
 * ```ts
 * const lock = await satchel.locks.acquire('invoice:7', { ttl: '5s', signal: request.signal })
 * ```
 */
export interface AcquireOptions {
  /** Lock lifetime. @default LocksOptions.ttl */
  ttl?: Duration
  /** Retry policy, merged field by field over the default; `false` tries once. */
  retry?: RetryOptions | false
  /** Aborting stops waiting at once: `acquire` rejects with `signal.reason`. */
  signal?: AbortSignal
}

/**
 * Per-call options of `using`.
 *
 * @example
 * ```ts
 * await satchel.locks.using('course:9', (signal) => rebuild(signal), { ttl: '5s' })
 * ```
 */
export interface UsingOptions extends AcquireOptions {
  /**
   * Extend the lock every third of its `ttl` while `fn` runs. When it cannot (the lock was taken
   * over, or Redis stayed down until the lock's expiry), `fn`'s signal aborts with
   * `E_LOCK_LOST`. Without it, the signal aborts with `E_LOCK_LOST` once the ttl has passed.
   * @default true
   */
  autoExtend?: boolean
}

/** A retry policy in milliseconds. */
export interface ResolvedRetry {
  readonly attempts: number
  readonly delayMs: number
  readonly jitterMs: number
}

/** {@link LocksOptions} after validation, durations in ms. */
export interface ResolvedLocksOptions {
  readonly ttlMs: number
  readonly retry: ResolvedRetry
  readonly fenceTtlMs: number
  readonly whenDisabled: 'local' | 'reject'
}

const DEFAULT_RETRY: ResolvedRetry = Object.freeze({ attempts: 10, delayMs: 100, jitterMs: 100 })
const SINGLE: z.output<typeof retrySchema> = Object.freeze({ attempts: 1 })

/** Bounds of the lock options (see the options table in the package README). */
export const LOCK_LIMITS = {
  /** A lock's TTL arms timers (auto-extend every third of it, `using`'s expiry). */
  ttlMs: { min: 1, max: MAX_TIMER_MS },
  fenceTtlMs: { min: 1, max: MAX_TTL_MS },
  attempts: { min: 1, max: 1_000_000 },
  delayMs: { min: 0, max: MAX_TIMER_MS },
} as const

const L = LOCK_LIMITS
const ttl = durationMs(L.ttlMs.min, L.ttlMs.max)

const retrySchema = optionsObject({
  attempts: integer(L.attempts.min, L.attempts.max, true).optional(),
  retries: integer(L.attempts.min - 1, L.attempts.max - 1, true).optional(),
  delay: durationMs(L.delayMs.min, L.delayMs.max).optional(),
  jitter: durationMs(L.delayMs.min, L.delayMs.max).optional(),
})

const locksSchema = optionsObject({
  ttl: ttl.default(10_000),
  // Checked by `resolveRetry`, so its own fields are named in errors (`locks.retry.delay`).
  retry: z.unknown().optional(),
  fenceTtl: durationMs(L.fenceTtlMs.min, L.fenceTtlMs.max).default(30 * 86_400_000),
  whenDisabled: oneOf(['local', 'reject']).default('local'),
})

/**
 * Validates the `satchel.locks` defaults once, at creation (`createSatchel` calls it).
 * @throws InvalidOptionError naming the field (`locks.ttl`, `locks.retry.delay`...).
 */
export function resolveLocksOptions(options: LocksOptions): ResolvedLocksOptions {
  const o = resolveWith(locksSchema, options ?? {}, 'locks')
  return {
    ttlMs: o.ttl,
    retry: resolveRetry(o.retry as RetryOptions | false | undefined, DEFAULT_RETRY, 'locks.retry'),
    fenceTtlMs: o.fenceTtl,
    whenDisabled: o.whenDisabled,
  }
}

/** A per-call lock TTL in whole milliseconds (PX takes an integer), within the lock bounds. */
export function resolveTtl(value: Duration, field: string): number {
  return resolveWith(ttl, value, field)
}

/** Merges a per-call retry policy over `base`; `undefined` keeps `base`, `false` tries once. */
export function resolveRetry(
  input: RetryOptions | false | undefined,
  base: ResolvedRetry,
  field: string,
): ResolvedRetry {
  if (input === undefined) return base
  return mergeRetry(input === false ? SINGLE : resolveWith(retrySchema, input, field), base, field)
}

function mergeRetry(
  o: z.output<typeof retrySchema>,
  base: ResolvedRetry,
  field: string,
): ResolvedRetry {
  let attempts = base.attempts
  if (o.retries !== undefined) attempts = o.retries + 1
  if (o.attempts !== undefined) {
    if (o.retries !== undefined && o.attempts !== o.retries + 1) {
      throw new InvalidOptionError(
        `${field}.attempts`,
        `contradicts retries (${o.retries}); give one of them`,
      )
    }
    attempts = o.attempts
  }
  return {
    attempts,
    delayMs: o.delay ?? base.delayMs,
    jitterMs: o.jitter ?? base.jitterMs,
  }
}
