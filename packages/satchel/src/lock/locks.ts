import { randomUUID } from 'node:crypto'
import type { SatchelContext } from '../core/context.js'
import {
  LockContendedError,
  type LockLostError,
  RedisUnavailableError,
  SatchelError,
} from '../core/errors.js'
import { ThrottledLog } from '../core/throttled-log.js'
import { keepLock } from './auto-extend.js'
import type { LockBackend, LockMode } from './backend.js'
import { lockTarget } from './keys.js'
import { LocalLockBackend } from './local-backend.js'
import { type Lock, LockHandle } from './lock.js'
import {
  type AcquireOptions,
  type LocksOptions,
  type ResolvedLocksOptions,
  type RetryOptions,
  resolveLocksOptions,
  resolveRetry,
  resolveTtl,
  type UsingOptions,
} from './options.js'
import { RedisLockBackend } from './redis-backend.js'
import { acquireWithRetry } from './retry.js'

/**
 * Counters since start, for dashboards of lock contention.
 * @example metrics.lockContended.set(satchel.locks.stats().contended)
 */
export interface LockStats {
  /** Locks acquired. */
  acquired: number
  /** Acquires that gave up because another owner held the lock (`E_LOCK_CONTENDED`). */
  contended: number
  /** Acquires that failed because Redis was unavailable (`E_REDIS_UNAVAILABLE`). */
  unavailable: number
  /** Locks `using` lost while its function ran (`E_LOCK_LOST`). */
  lost: number
}

/**
 * Distributed locks with fencing tokens: `satchel.locks`.
 *
 * Error codes: `E_LOCK_CONTENDED` (another owner held the lock through every attempt: Redis
 * answered, retrying later may succeed), `E_REDIS_UNAVAILABLE` (Redis did not answer within
 * `commandMs`, the breaker is open, or locking is disabled with `whenDisabled: 'reject'`),
 * `E_LOCK_LOST` (the signal `using` gives its function aborts with it).
 *
 * A lock is an efficiency device, not a correctness guarantee: keep the database's own status
 * check (and, where writes can race, a fence check) as the final guard.
 *
 * @example
 * ```ts
 * try {
 *   await satchel.locks.using(`login-link:${id}`, async (signal, lock) => {
 *     const request = await loadPending(id)
 *     signal.throwIfAborted()
 *     await approve(request, { fence: lock.fence })
 *   }, { ttl: '5s', retry: false })
 * } catch (e) {
 *   if (e instanceof errors.E_LOCK_CONTENDED) return conflict('Another admin is handling it')
 *   throw e
 * }
 * ```
 */
export interface Locks {
  /** `'redis'`, or `'local'` when locking is off or memory-only (see `whenDisabled`). */
  readonly mode: LockMode
  /**
   * Acquires the lock on `resource`, retrying while it is held.
   * @throws LockContendedError (`E_LOCK_CONTENDED`) when the retries run out.
   * @throws RedisUnavailableError (`E_REDIS_UNAVAILABLE`) at the first attempt Redis cannot
   *   answer; an outage is never retried, so this settles within `commandMs` of that attempt.
   * @throws `signal.reason` when `signal` aborts (at once, also mid-attempt; a lock taken by an
   *   attempt in flight is released).
   * @example
   * ```ts
   * const lock = await satchel.locks.acquire('course:9:publish', { ttl: '30s', signal })
   * try { await publish(lock.fence) } finally { await lock.release() }
   * ```
   */
  acquire(resource: string, options?: AcquireOptions): Promise<Lock>
  /**
   * One attempt, no retries: the lock, or `undefined` when another owner holds it.
   * @throws RedisUnavailableError as `acquire` does.
   * @example
   * ```ts
   * const lock = await satchel.locks.tryAcquire('nightly-report')
   * if (!lock) return // another process is on it
   * ```
   */
  tryAcquire(resource: string, options?: Omit<AcquireOptions, 'retry'>): Promise<Lock | undefined>
  /**
   * Acquires the lock, runs `fn`, and always releases the lock afterwards; returns what `fn`
   * returns. `fn` gets an AbortSignal that aborts with `LockLostError` (`E_LOCK_LOST`) when the
   * lock is lost (taken over, or not extendable before its expiry), or with `options.signal`'s
   * reason; call `signal.throwIfAborted()` before each write. With `autoExtend` (the default)
   * the lock is extended every third of its TTL. No timer outlives the call.
   * @throws what `acquire` throws, or what `fn` throws. A failed release is logged, not thrown:
   *   the lock lapses at its TTL.
   * @example
   * ```ts
   * const total = await satchel.locks.using('grades:recompute:42', async (signal, lock) => {
   *   const rows = await recompute(42, { signal })
   *   signal.throwIfAborted()
   *   return saveGrades(rows, { fence: lock.fence })
   * }, { ttl: '10s' })
   * ```
   */
  using<T>(
    resource: string,
    fn: (signal: AbortSignal, lock: Lock) => T | Promise<T>,
    options?: UsingOptions,
  ): Promise<T>
  /** Counters since start. */
  stats(): LockStats
}

export type { LocksOptions }

/**
 * Creates `satchel.locks`. Users reach it through `createSatchel({ locks })`.
 *
 * Backend choice, made once: Redis when satchel has Redis and the `locking` flag is on.
 * Otherwise (flag off, or memory-only) `whenDisabled` decides: `'local'` (default) gives
 * in-process locks with the same API, `'reject'` throws `E_REDIS_UNAVAILABLE`.
 *
 * @throws InvalidOptionError for invalid options.
 * @example
 * ```ts
 * const satchel = createSatchel({ redis: process.env.REDIS_URL, locks: { ttl: '10s' } })
 * const lock = await satchel.locks.acquire('resource')
 * ```
 */
export function createLocks(ctx: SatchelContext, options: LocksOptions): Locks {
  const o: ResolvedLocksOptions = resolveLocksOptions(options)
  const prefix = ctx.options.prefix
  const disabled = !ctx.flags.enabled('locking') || !ctx.gateway.enabled
  const backend: LockBackend = disabled
    ? new LocalLockBackend()
    : new RedisLockBackend(ctx.gateway, o.fenceTtlMs)
  const refusal =
    disabled && o.whenDisabled === 'reject'
      ? new RedisUnavailableError(
          'memory-only',
          ctx.gateway.enabled
            ? 'locking is disabled by the "locking" flag (whenDisabled: reject)'
            : 'satchel runs without Redis (memory-only) and locks.whenDisabled is "reject"',
        )
      : undefined
  const log = new ThrottledLog(ctx.logger, ctx.options.logIntervalMs)
  const stats: LockStats = { acquired: 0, contended: 0, unavailable: 0, lost: 0 }
  const events = ctx.events

  async function acquire(
    resource: string,
    options: AcquireOptions,
    retry: RetryOptions | false | undefined,
  ): Promise<LockHandle> {
    const target = lockTarget(prefix, resource)
    const ttlMs = options.ttl === undefined ? o.ttlMs : resolveTtl(options.ttl, 'ttl')
    const policy = resolveRetry(retry, o.retry, 'retry')
    if (refusal) throw refusal
    const token = randomUUID()
    const started = performance.now()
    const signal = options.signal
    let sentAt = Date.now()
    try {
      // Fast path: the first try needs neither the abort race nor the retry loop's closures.
      let fence = signal ? 0 : await backend.tryAcquire(target, token, ttlMs)
      let attempts = signal ? 0 : 1
      if (fence === 0) {
        if (attempts >= policy.attempts) throw new LockContendedError(resource, attempts)
        const attempt = (): Promise<number> => {
          sentAt = Date.now()
          return backend.tryAcquire(target, token, ttlMs)
        }
        const abandon = (): void => {
          backend.release(target, token).catch(() => {})
        }
        ;({ fence, attempts } = await acquireWithRetry(
          resource,
          attempt,
          policy,
          signal,
          abandon,
          attempts,
        ))
      }
      stats.acquired++
      events.emit('lock:acquired', {
        resource,
        fence,
        attempts,
        waitedMs: performance.now() - started,
        mode: backend.mode,
      })
      return new LockHandle(backend, target, token, fence, ttlMs, sentAt)
    } catch (error) {
      if (error instanceof LockContendedError) {
        stats.contended++
        events.emit('lock:contended', { resource, attempts: error.attempts })
      } else if (error instanceof RedisUnavailableError) {
        stats.unavailable++
      }
      throw error
    }
  }

  async function release(lock: LockHandle): Promise<void> {
    try {
      await lock.release()
    } catch (error) {
      if (!(error instanceof SatchelError)) throw error
      log.warn(
        `lock.release:${error.code}`,
        { resource: lock.resource, code: error.code, err: error.message },
        'could not release lock; it lapses at its TTL',
      )
    }
  }

  const locks: Locks = {
    mode: backend.mode,
    acquire: (resource, options = {}) => acquire(resource, options, options.retry),
    async tryAcquire(resource, options = {}) {
      try {
        return await acquire(resource, options, false)
      } catch (error) {
        if (error instanceof LockContendedError) return undefined
        throw error
      }
    },
    async using(resource, fn, options = {}) {
      const lock = await acquire(resource, options, options.retry)
      const controller = new AbortController()
      const outer = options.signal
      const forward = (): void => controller.abort(outer?.reason)
      if (outer?.aborted) forward()
      else outer?.addEventListener('abort', forward, { once: true })
      const keeper = keepLock(lock, options.autoExtend ?? true, (error: LockLostError) => {
        stats.lost++
        events.emit('lock:lost', { resource, fence: lock.fence, error })
        controller.abort(error)
      })
      try {
        return await fn(controller.signal, lock)
      } finally {
        outer?.removeEventListener('abort', forward)
        await keeper.stop()
        await release(lock)
      }
    },
    stats: () => ({ ...stats }),
  }
  return locks
}
