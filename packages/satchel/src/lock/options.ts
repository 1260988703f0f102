import { type Duration, parseDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'

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
const SINGLE: Partial<ResolvedRetry> = Object.freeze({ attempts: 1 })

/**
 * Validates the `satchel.locks` defaults once, at creation.
 * @throws InvalidOptionError naming the field.
 */
export function resolveLocksOptions(options: LocksOptions): ResolvedLocksOptions {
  const whenDisabled = options.whenDisabled ?? 'local'
  if (whenDisabled !== 'local' && whenDisabled !== 'reject') {
    throw new InvalidOptionError('locks.whenDisabled', `expected 'local' or 'reject'`)
  }
  return {
    ttlMs: resolveTtl(options.ttl ?? 10_000, 'locks.ttl'),
    retry: resolveRetry(options.retry, DEFAULT_RETRY, 'locks.retry'),
    fenceTtlMs: resolveTtl(options.fenceTtl ?? 30 * 86_400_000, 'locks.fenceTtl'),
    whenDisabled,
  }
}

/** A lock TTL in whole milliseconds (PX takes an integer), at least 1. */
export function resolveTtl(value: Duration, field: string): number {
  const ms = Math.round(parseDuration(value, field))
  if (ms < 1) throw new InvalidOptionError(field, 'must be at least 1 ms')
  return ms
}

/** Merges a per-call retry policy over `base`; `undefined` keeps `base`, `false` tries once. */
export function resolveRetry(
  input: RetryOptions | false | undefined,
  base: ResolvedRetry,
  field: string,
): ResolvedRetry {
  if (input === undefined) return base
  const o: RetryOptions = input === false ? SINGLE : input
  if (typeof o !== 'object' || o === null) {
    throw new InvalidOptionError(field, 'expected an object or false')
  }
  let attempts = base.attempts
  if (o.retries !== undefined) {
    checkCount(o.retries, 0, `${field}.retries`)
    attempts = o.retries + 1
  }
  if (o.attempts !== undefined) {
    checkCount(o.attempts, 1, `${field}.attempts`)
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
    delayMs: o.delay === undefined ? base.delayMs : parseDuration(o.delay, `${field}.delay`),
    jitterMs: o.jitter === undefined ? base.jitterMs : parseDuration(o.jitter, `${field}.jitter`),
  }
}

function checkCount(value: number, min: number, field: string): void {
  if (value === Number.POSITIVE_INFINITY) return
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(field, `expected an integer >= ${min} or Infinity, got ${value}`)
  }
}
