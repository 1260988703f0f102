import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { fullJitterBackoff } from '../../core/backoff.js'
import type { SatchelContext } from '../../core/context.js'
import { RedisUnavailableError, SatchelError } from '../../core/errors.js'
import { ThrottledLog } from '../../core/throttled-log.js'
import type { BusMessage, CacheBus, CacheBusStats } from '../types.js'
import { decodeBusMessage, encodeBusMessage } from './message.js'
import { BusSubscriber } from './subscriber.js'
import { subscriberTarget } from './targets.js'

/**
 * Counters of the Redis-backed bus: the shared {@link CacheBusStats} plus failure detail.
 * @example const { published, publishFailures } = bus.stats()
 */
export interface RedisCacheBusStats extends CacheBusStats {
  /** Publishes that failed (timeout, breaker open, disconnected, unencodable message). */
  publishFailures: number
  /** Payloads on the channel that did not decode into a bus message; ignored. */
  malformed: number
  /** Handler exceptions caught (a handler's bug must not stop the bus). */
  handlerErrors: number
  /** Whether the subscription is currently acknowledged by Redis. */
  subscribed: boolean
}

/** Resolved bus settings. */
export interface RedisCacheBusSettings {
  channel: string
  healthCheckMs: number
}

type Handler<A extends unknown[]> = (...args: A) => void

/**
 * The cache bus over Redis pub/sub (sharded pub/sub on Cluster). Publishing goes through the
 * gateway (bounded, breaker-guarded) and never blocks or throws; receiving uses a dedicated
 * subscriber connection (`subscriber.ts`).
 *
 * @example
 * ```ts
 * const bus = new RedisCacheBus(ctx, { channel: 'app:c:bus', healthCheckMs: 5000 })
 * bus.onMessage((m) => { if (m.type === 'delete') for (const k of m.keys) l1.delete(k) })
 * bus.publish({ type: 'delete', keys: ['app:o:1:report'] })
 * ```
 */
export class RedisCacheBus implements CacheBus {
  /** Random per instance: lets every instance recognise (and skip) its own messages. */
  readonly id = randomBytes(9).toString('base64url')
  readonly channel: string
  readonly #ctx: SatchelContext
  readonly #sharded: boolean
  readonly #subscriber: BusSubscriber
  readonly #log: ThrottledLog
  readonly #messageHandlers = new Set<Handler<[BusMessage]>>()
  readonly #resyncHandlers = new Set<Handler<[]>>()
  #closed = false
  #published = 0
  #publishFailures = 0
  #received = 0
  #ignoredOwn = 0
  #malformed = 0
  #handlerErrors = 0
  #resyncs = 0

  constructor(ctx: SatchelContext, settings: RedisCacheBusSettings) {
    const client = ctx.gateway.client
    if (!client) throw new Error('RedisCacheBus needs a Redis client (use createCacheBus)')
    this.#ctx = ctx
    this.channel = settings.channel
    this.#log = new ThrottledLog(ctx.logger, ctx.options.logIntervalMs)
    const connection = ctx.gateway.connection
    const target = subscriberTarget(
      client,
      settings.channel,
      () => connection?.ready() ?? Promise.resolve(),
      ctx.options.connectMs,
    )
    this.#sharded = target.sharded
    this.#subscriber = new BusSubscriber({
      channel: settings.channel,
      target,
      connectMs: ctx.options.connectMs,
      commandMs: ctx.options.commandMs,
      healthCheckMs: settings.healthCheckMs,
      backoff: fullJitterBackoff({
        baseMs: ctx.options.reconnectBaseMs,
        capMs: ctx.options.reconnectCapMs,
      }),
      onPayload: (payload) => this.#receive(payload),
      onSubscribed: (first) => this.#resync(first),
      onFailure: (stage, error) => {
        this.#log.warn(
          `cache.bus:${stage}`,
          { channel: this.channel, stage, err: describe(error) },
          'cache bus subscriber trouble; L1 will be cleared once it is back',
        )
      },
    })
    this.#subscriber.start()
  }

  /** The subscriber's connection (for tests and diagnostics). */
  get subscriberConnection(): Redis | undefined {
    return this.#subscriber.connection
  }

  publish(message: BusMessage): void {
    if (this.#closed) return
    let payload: Buffer
    try {
      payload = encodeBusMessage(this.#ctx.codec, this.id, message)
    } catch (error) {
      this.#publishFailed(error)
      return
    }
    const channel = this.channel
    const sharded = this.#sharded
    this.#ctx.gateway
      .exec('cache.bus.publish', (redis) =>
        sharded ? redis.spublish(channel, payload) : redis.publish(channel, payload),
      )
      .then(
        () => {
          this.#published++
        },
        (error: unknown) => this.#publishFailed(error),
      )
  }

  onMessage(handler: (message: BusMessage) => void): () => void {
    this.#messageHandlers.add(handler)
    return () => this.#messageHandlers.delete(handler)
  }

  onResync(handler: () => void): () => void {
    this.#resyncHandlers.add(handler)
    return () => this.#resyncHandlers.delete(handler)
  }

  stats(): RedisCacheBusStats {
    return {
      published: this.#published,
      received: this.#received,
      ignoredOwn: this.#ignoredOwn,
      resyncs: this.#resyncs,
      publishFailures: this.#publishFailures,
      malformed: this.#malformed,
      handlerErrors: this.#handlerErrors,
      subscribed: this.#subscriber.subscribed,
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#messageHandlers.clear()
    this.#resyncHandlers.clear()
    await this.#subscriber.close()
  }

  #receive(payload: Buffer): void {
    const read = decodeBusMessage(this.#ctx.codec, payload)
    if (!read.ok) {
      this.#malformed++
      this.#log.warn(
        'cache.bus:malformed',
        { channel: this.channel, bytes: payload.length, reason: read.error },
        'ignored a malformed cache bus message',
      )
      return
    }
    if (read.sender === this.id) {
      this.#ignoredOwn++
      return
    }
    this.#received++
    for (const handler of this.#messageHandlers) this.#call(handler, read.message)
  }

  #resync(first: boolean): void {
    // The first subscription also runs the handlers: anything an instance put in its L1 before
    // it was listening may have been changed by a message it never heard. Only a re-subscription
    // after a loss counts as a resync in stats and events.
    if (!first) {
      this.#resyncs++
      this.#ctx.events.emit('bus:resync', { channel: this.channel, at: Date.now() })
    }
    for (const handler of this.#resyncHandlers) this.#call(handler)
  }

  #call<A extends unknown[]>(handler: Handler<A>, ...args: A): void {
    try {
      handler(...args)
    } catch (error) {
      // The engine's handler evicts L1 entries; its bug must not stop the bus for everyone.
      this.#handlerErrors++
      this.#log.warn(
        'cache.bus:handler',
        { channel: this.channel, err: describe(error) },
        'a cache bus handler threw',
      )
    }
  }

  #publishFailed(error: unknown): void {
    this.#publishFailures++
    const reason =
      error instanceof RedisUnavailableError
        ? error.reason
        : error instanceof SatchelError
          ? error.code
          : 'error'
    this.#log.warn(
      `cache.bus:publish:${reason}`,
      { channel: this.channel, reason, err: describe(error) },
      'cache bus publish failed; other instances may serve stale L1 entries until their TTL',
    )
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
