import { RedisUnavailableError } from '../core/errors.js'
import type { RedisGateway } from '../core/redis-gateway.js'
import { evalScript, evalScriptInOrder } from '../core/scripts.js'
import type { LockBackend } from './backend.js'
import type { LockTarget } from './keys.js'
import { ACQUIRE, EXTEND, RELEASE } from './scripts.js'

/**
 * Locks in Redis: one script per operation, each a single bounded round trip through the
 * gateway, so every call settles within `commandMs` and an outage surfaces as
 * `E_REDIS_UNAVAILABLE` rather than a hang.
 */
export class RedisLockBackend implements LockBackend {
  readonly mode = 'redis' as const
  readonly #gateway: RedisGateway
  readonly #fenceTtlMs: number

  constructor(gateway: RedisGateway, fenceTtlMs: number) {
    this.#gateway = gateway
    this.#fenceTtlMs = fenceTtlMs
  }

  // Plain promise chains rather than async functions: one promise layer less per round trip.
  tryAcquire(target: LockTarget, token: string, ttlMs: number): Promise<number> {
    return this.#gateway
      .exec('lock.acquire', (r) =>
        evalScript(r, ACQUIRE, [target.key, target.fenceKey], [token, ttlMs, this.#fenceTtlMs]),
      )
      .then(Number, (error: unknown) => {
        if (error instanceof RedisUnavailableError && error.reason === 'timeout') {
          this.#releaseOrphan(target, token)
        }
        throw error
      })
  }

  release(target: LockTarget, token: string): Promise<boolean> {
    return this.#gateway
      .exec('lock.release', (r) => evalScript(r, RELEASE, [target.key], [token]))
      .then(isOne)
  }

  extend(target: LockTarget, token: string, ttlMs: number): Promise<boolean> {
    return this.#gateway
      .exec('lock.extend', (r) => evalScript(r, EXTEND, [target.key], [token, ttlMs]))
      .then(isOne)
  }

  /**
   * An acquire whose answer timed out was still written to the socket: a slow or paused server
   * may run it later and hold the lock for a full TTL with nobody to release it. A release with
   * the same token, sent on the same connection, runs right after it and undoes exactly that
   * (and nothing else: it compares the token). Sent on the raw client without waiting, so it
   * adds no latency and no breaker failure; if the connection is gone it fails at once and the
   * TTL cleans up.
   */
  #releaseOrphan(target: LockTarget, token: string): void {
    const client = this.#gateway.client
    if (!client || this.#gateway.closed) return
    evalScriptInOrder(client, RELEASE, [target.key], [token]).catch(() => {})
  }
}

function isOne(reply: unknown): boolean {
  return reply === 1
}
