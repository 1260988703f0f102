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
