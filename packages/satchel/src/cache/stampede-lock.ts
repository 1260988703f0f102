/**
 * The distributed stampede lock: on a miss, one process across the fleet runs the factory.
 *
 * - Acquire: `SET <prefix>:c:lock:<key> <token> NX PX <lockTtl>` in a script that, when the
 *   lock is held, answers the holder's remaining PTTL.
 * - The holder extends it every `lockTtl / 3` while the factory runs (token-checked `PEXPIRE`),
 *   so a slow factory keeps it and a dead holder loses it within one `lockTtl`.
 * - Release after the value is written, token-checked, so a holder whose lock already expired
 *   never deletes the next holder's lock.
 * - Waiters are woken by the bus's `set` message for the key, or poll L2 with backoff
 *   (10 → 100 ms, never past the holder's lock expiry); if the lock vanished without a value
 *   (the holder died or its factory failed) the next poll takes the lock and loads.
 *
 * A lock whose key carries a `{hash tag}` lands in the same Cluster slot as the key (the prefix
 * has no braces, so the key's tag is the first one in the lock key).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { RedisGateway } from '../core/redis-gateway.js'
import { evalScript } from '../core/scripts.js'
import { LOCK_ACQUIRE, LOCK_EXTEND, LOCK_RELEASE } from './scripts.js'

/** Outcome of one acquisition attempt. */
export type LockAttempt = 'acquired' | 'held' | 'unavailable'

/** A held lock: call `release()` once the value is written (or the factory failed); idempotent. */
export interface HeldLock {
  release(): Promise<void>
}

/** Stampede locks of one cache. */
export class StampedeLocks {
  readonly #timers = new Set<NodeJS.Timeout>()

  constructor(
    readonly gateway: RedisGateway,
    /** `<prefix>:c:lock:` */
    readonly prefix: string,
    readonly ttlMs: number,
  ) {}

  /**
   * Tries once. `unavailable` when Redis cannot answer: the caller loads without the lock.
   * `held` comes with `expiresInMs`, the holder's remaining lock time.
   */
  async tryAcquire(
    key: string,
  ): Promise<{ attempt: LockAttempt; lock?: HeldLock; expiresInMs?: number }> {
    const lockKey = this.prefix + key
    const token = randomUUID()
    let reply: unknown
    try {
      reply = await this.gateway.exec('cache.lock', (r) =>
        evalScript(r, LOCK_ACQUIRE, [lockKey], [token, this.ttlMs]),
      )
    } catch {
      return { attempt: 'unavailable' }
    }
    const [acquired, pttl] = reply as [number, number?]
    if (acquired !== 1) {
      return {
        attempt: 'held',
        expiresInMs: typeof pttl === 'number' && pttl >= 0 ? pttl : this.ttlMs,
      }
    }
    return { attempt: 'acquired', lock: this.#hold(lockKey, token) }
  }

  #hold(lockKey: string, token: string): HeldLock {
    const timer = setInterval(
      () => {
        this.gateway
          .exec('cache.lock.extend', (r) =>
            evalScript(r, LOCK_EXTEND, [lockKey], [token, this.ttlMs]),
          )
          .catch(() => {})
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    )
    timer.unref()
    this.#timers.add(timer)
    let released = false
    return {
      release: async () => {
        if (released) return
        released = true
        clearInterval(timer)
        this.#timers.delete(timer)
        await this.gateway
          .exec('cache.lock.release', (r) => evalScript(r, LOCK_RELEASE, [lockKey], [token]))
          .catch(() => {})
      },
    }
  }

  /**
   * Stops every keep-alive without releasing: on close, a factory may still be running here,
   * so the locks are left to expire rather than handed to another process mid-load.
   */
  stopAll(): void {
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers.clear()
  }
}

/** Callers waiting for another process's load of a key; woken by the bus or a timer. */
export class Waiters {
  readonly #byKey = new Map<string, Set<() => void>>()

  /** Resolves on `wake(key)` or after `ms`, whichever comes first. */
  wait(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.#byKey.get(key)
      if (set === undefined) {
        set = new Set()
        this.#byKey.set(key, set)
      }
      const group = set
      const done = (): void => {
        clearTimeout(timer)
        group.delete(done)
        if (group.size === 0 && this.#byKey.get(key) === group) this.#byKey.delete(key)
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref()
      group.add(done)
    })
  }

  wake(key: string): void {
    const set = this.#byKey.get(key)
    if (set === undefined) return
    for (const done of [...set]) done()
  }

  wakeAll(): void {
    for (const key of [...this.#byKey.keys()]) this.wake(key)
  }
}
