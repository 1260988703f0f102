import { EventEmitter } from 'node:events'

/** Circuit breaker states. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/** Connection states satchel reports (a summary of ioredis's finer-grained status). */
export type ConnectionStatus = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed'

/** Every event satchel emits, with its payload. */
export interface SatchelEventMap {
  /** The circuit breaker changed state. */
  'breaker:change': { from: BreakerState; to: BreakerState; failures: number; at: number }
  /** The connection changed state. */
  'connection:change': { status: ConnectionStatus; error?: Error }
  /** A Redis operation failed or timed out and its fallback was used (or the error surfaced). */
  'redis:error': { operation: string; reason: string; error: Error }
  /** A value was not stored because its encoded size exceeds `maxValueBytes`. */
  'value:too-large': { key: string; bytes: number; limit: number }
  /** A payload read from Redis could not be decoded; the read was treated as a miss. */
  'value:malformed': { key: string; bytes: number; error: Error }
  /**
   * `cache.warm` finished one entry (same shape as the cache's `WarmProgress`, written out here
   * so core does not import from the cache).
   */
  'cache:warm': { namespace: string; done: number; total: number; failed: number; key: string }
  /**
   * An idempotency `begin` answered: `outcome` is `new`, `taken-over` (an expired lease was
   * taken over), `replay`, `in-flight`, `mismatch`, `invalid-key`, `bypass` or `store-down`;
   * `reason` says why for `bypass` (`flag-off`, an error code) and `store-down` (an error code).
   */
  'idempotency:outcome': { endpoint: string; outcome: string; reason?: string | undefined }
  /**
   * A response was not stored for replay, so a retry runs again: `status` (not a stored
   * status), `too-large`, `lease-lost` or `store-down`.
   */
  'idempotency:not-stored': { endpoint: string; status: number; reason: string }
  /**
   * A rate limiter could not ask Redis (`reason`: `timeout` or `error`) and its failure policy
   * (`open`, `closed` or `insurance`) decided; `success` is what it decided.
   */
  'ratelimit:fallback': {
    limiter: string
    policy: string
    reason: 'timeout' | 'error'
    success: boolean
    error: Error
  }
  /** A lock was acquired after `attempts` tries and `waitedMs` of waiting (`mode`: redis or local). */
  'lock:acquired': {
    resource: string
    fence: number
    attempts: number
    waitedMs: number
    mode: 'redis' | 'local'
  }
  /** An acquire gave up: another owner held the lock through all `attempts`. */
  'lock:contended': { resource: string; attempts: number }
  /** `locks.using` lost its lock while the function ran (taken over, or not extendable in time). */
  'lock:lost': { resource: string; fence: number; error: Error }
  /**
   * The cache bus subscription came back after a loss; messages may have been missed, so every
   * instance's L1 was cleared.
   */
  'bus:resync': { channel: string; at: number }
  /**
   * A session invalidation could not reach Redis (`scope`: `token` or `user`); the copy lives at
   * most the index's `capTtl`.
   */
  'session:invalidate-failed': { scope: 'token' | 'user'; error: Error }
  /**
   * A counter recount found the cached value off from the database count (`drift` = cached −
   * counted). Emitted only when a value was cached and differed.
   */
  'counter:drift': { name: string; id: string; before: number; after: number; drift: number }
  /**
   * The cache read a value from Redis (an L2 hit, before decoding): `bytes` is the payload
   * size, so an application can attribute Redis egress to its routes. Emitted only while
   * someone listens; listeners run in the reader's async context.
   */
  'cache:read': { key: string; bytes: number }
}

/** Name of a satchel event. */
export type SatchelEventName = keyof SatchelEventMap

/**
 * A typed event emitter. Listeners that throw are isolated: an exception in user code must not
 * break a Redis fallback path, so it is swallowed and reported once via `listenerError`.
 *
 * @example
 * ```ts
 * satchel.events.on('breaker:change', ({ from, to }) => log.warn({ from, to }, 'redis breaker'))
 * ```
 */
export class SatchelEvents {
  readonly #emitter = new EventEmitter()

  constructor() {
    // Many primitives may subscribe; the default warning at 10 listeners is noise here.
    this.#emitter.setMaxListeners(0)
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends SatchelEventName>(
    event: E,
    listener: (payload: SatchelEventMap[E]) => void,
  ): () => void {
    this.#emitter.on(event, listener)
    return () => this.#emitter.off(event, listener)
  }

  /** Unsubscribes a listener. */
  off<E extends SatchelEventName>(event: E, listener: (payload: SatchelEventMap[E]) => void): void {
    this.#emitter.off(event, listener)
  }

  /** Whether anyone listens: lets a hot path skip building a payload nobody reads. */
  listening(event: SatchelEventName): boolean {
    return this.#emitter.listenerCount(event) > 0
  }

  /** Emits an event; listener exceptions never propagate to satchel's caller. */
  emit<E extends SatchelEventName>(event: E, payload: SatchelEventMap[E]): void {
    if (this.#emitter.listenerCount(event) === 0) return
    try {
      this.#emitter.emit(event, payload)
    } catch {
      // A throwing listener is the subscriber's bug; a cache read must still return.
    }
  }
}
