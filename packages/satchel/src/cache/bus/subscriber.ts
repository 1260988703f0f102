/**
 * The bus's dedicated subscriber connection: connect, subscribe, notice loss, come back.
 *
 * A connection in subscribe mode cannot run other commands, so the bus never shares the
 * gateway's client. The subscriber manages its own reconnects (see `targets.ts` for why
 * ioredis's are off): after any loss it opens a new connection (on Cluster to the slot's
 * current owner), subscribes, and only once Redis has acknowledged the subscription reports a
 * resync. Clearing L1 after the acknowledgement, not before, leaves no window in which a
 * message could be missed after the clear.
 *
 * Loss is noticed from: the socket ending, a `MOVED` reply to `SSUBSCRIBE` (the slot moved
 * between resolving and subscribing), and a periodic `PING`. In subscribe mode Redis answers
 * `PING` with `["pong", ""]`, outside it with `PONG`; a plain `PONG` therefore means the server
 * dropped the subscription on its own (a Cluster node pushes `SUNSUBSCRIBE` when it loses the
 * slot), and no answer within `connectMs` means a hung server or a dead link that TCP has not
 * reported yet.
 *
 * @module
 */
import type { Redis } from 'ioredis'
import { DISCONNECT_GRACE_MS } from '../../core/client-factory.js'
import { settleWithin } from '../../core/settle-within.js'
import type { SubscriberTarget } from './targets.js'

/** What the subscriber needs; built by the bus. */
export interface BusSubscriberOptions {
  channel: string
  target: SubscriberTarget
  /** Bound on connecting, subscribing and each health PING. */
  connectMs: number
  /** Bound on the `UNSUBSCRIBE` sent by `close()`. */
  commandMs: number
  /** Interval of the health PING; `0` disables it. */
  healthCheckMs: number
  /** Delay before reconnect attempt `n` (1-based). */
  backoff: (attempt: number) => number
  onPayload(payload: Buffer): void
  /**
   * The subscription is established. `first` is false after a loss, when messages may have been
   * missed; on the first subscription, messages sent before it were not heard either.
   */
  onSubscribed(first: boolean): void
  /** A connect, subscribe or health-check failure, for the throttled log. */
  onFailure(stage: 'subscribe' | 'health-check' | 'connection', error: unknown): void
}

/**
 * Keeps one subscription to the bus channel alive until closed.
 * @example
 * ```ts
 * const subscriber = new BusSubscriber({ channel, target, onPayload, onSubscribed, ... })
 * subscriber.start()
 * await subscriber.close()
 * ```
 */
export class BusSubscriber {
  readonly #o: BusSubscriberOptions
  #connection: Redis | undefined
  #subscribed = false
  #everSubscribed = false
  #closed = false
  #attempt = 0
  /** Bumped on every new attempt and on close, so callbacks of a superseded attempt do nothing. */
  #generation = 0
  #retryTimer: NodeJS.Timeout | undefined
  #healthTimer: NodeJS.Timeout | undefined
  /** The generation whose health PING is in flight, if any. */
  #checking: number | undefined

  constructor(options: BusSubscriberOptions) {
    this.#o = options
  }

  /** The current (or, after close, the last) subscriber connection. */
  get connection(): Redis | undefined {
    return this.#connection
  }

  /** True while Redis has acknowledged the subscription and no loss has been noticed. */
  get subscribed(): boolean {
    return this.#subscribed
  }

  /** Starts connecting in the background; never throws. */
  start(): void {
    void this.#connect()
  }

  /** Unsubscribes (bounded), disconnects and waits for the socket to close. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#generation++
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#healthTimer)
    const connection = this.#connection
    if (!connection) return
    if (this.#subscribed && connection.status === 'ready') {
      const unsubscribe = this.#o.target.sharded
        ? connection.sunsubscribe(this.#o.channel)
        : connection.unsubscribe(this.#o.channel)
      await settleWithin(unsubscribe, this.#o.commandMs).catch(() => {})
    }
    this.#subscribed = false
    await disconnect(connection)
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const generation = ++this.#generation
    try {
      const connection = await this.#o.target.open()
      if (generation !== this.#generation) {
        connection.disconnect()
        return
      }
      this.#connection = connection
      this.#listen(connection, generation)
      await settleWithin(connection.connect(), this.#o.connectMs)
      await settleWithin(
        this.#o.target.sharded
          ? connection.ssubscribe(this.#o.channel)
          : connection.subscribe(this.#o.channel),
        this.#o.connectMs,
      )
      if (generation !== this.#generation) return
      this.#subscribed = true
      this.#attempt = 0
      this.#scheduleHealthCheck(generation)
      const first = !this.#everSubscribed
      this.#everSubscribed = true
      this.#o.onSubscribed(first)
    } catch (error) {
      if (generation !== this.#generation) return
      this.#o.onFailure('subscribe', error)
      this.#lost(generation)
    }
  }

  #listen(connection: Redis, generation: number): void {
    const current = (): boolean => generation === this.#generation
    connection.on('error', () => {
      // Connection errors also reject connect() or end the socket, and are reported there. An
      // error while subscribed may be ioredis meeting a SUNSUBSCRIBE pushed by the server.
      if (current() && this.#subscribed) void this.#healthCheck(generation)
    })
    connection.on('end', () => {
      if (!current()) return
      if (this.#subscribed) this.#o.onFailure('connection', new Error('subscriber connection lost'))
      this.#lost(generation)
    })
    // ioredis emits 'moved' (and never settles the command) when SSUBSCRIBE gets MOVED.
    connection.on('moved', () => {
      if (current()) this.#lost(generation)
    })
    const channel = this.#o.channel
    const onPayload = (from: Buffer, payload: Buffer): void => {
      if (current() && from.toString() === channel) this.#o.onPayload(payload)
    }
    connection.on(this.#o.target.sharded ? 'smessageBuffer' : 'messageBuffer', onPayload)
  }

  /** Drops the attempt's connection and schedules the next one with backoff. */
  #lost(generation: number): void {
    if (this.#closed || generation !== this.#generation) return
    this.#generation++
    this.#subscribed = false
    clearTimeout(this.#healthTimer)
    const connection = this.#connection
    if (connection && connection.status !== 'end') void disconnect(connection)
    const delay = this.#o.backoff(++this.#attempt)
    this.#retryTimer = setTimeout(() => void this.#connect(), delay)
    // The bus must never be what keeps a process alive.
    this.#retryTimer.unref()
  }

  #scheduleHealthCheck(generation: number): void {
    if (this.#o.healthCheckMs <= 0 || this.#closed) return
    clearTimeout(this.#healthTimer)
    this.#healthTimer = setTimeout(() => void this.#healthCheck(generation), this.#o.healthCheckMs)
    this.#healthTimer.unref()
  }

  async #healthCheck(generation: number): Promise<void> {
    const connection = this.#connection
    if (this.#checking === generation || !connection || generation !== this.#generation) return
    this.#checking = generation
    try {
      const reply: unknown = await settleWithin(connection.ping(), this.#o.connectMs)
      if (generation !== this.#generation) return
      if (!Array.isArray(reply)) {
        this.#o.onFailure('health-check', new Error('the server dropped the subscription'))
        this.#lost(generation)
        return
      }
      this.#scheduleHealthCheck(generation)
    } catch (error) {
      if (generation !== this.#generation) return
      this.#o.onFailure('health-check', error)
      this.#lost(generation)
    } finally {
      if (this.#checking === generation) this.#checking = undefined
    }
  }
}

/** Closes the socket and waits (bounded) until it is gone, so no handle outlives the bus. */
async function disconnect(connection: Redis): Promise<void> {
  if (connection.status === 'end') return
  // Not events.once: it rejects on an 'error' emitted while closing.
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()))
  connection.disconnect()
  await settleWithin(ended, DISCONNECT_GRACE_MS).catch(() => {})
}
