import { CircuitBreaker } from './breaker.js'
import { type ClientHandle, DISCONNECT_GRACE_MS, type RedisClient } from './client-factory.js'
import { Connection } from './connection.js'
import { Deadlines, type Pending } from './deadlines.js'
import {
  EncodeError,
  RedisCommandError,
  RedisUnavailableError,
  SatchelError,
  type UnavailableReason,
} from './errors.js'
import type { SatchelEvents } from './events.js'
import { LatencyHistogram, type LatencySummary } from './histogram.js'
import type { ResolvedCoreOptions } from './options.js'
import { isAuthError, isReplyError } from './redis-errors.js'
import { settleWithin } from './settle-within.js'
import { ThrottledLog } from './throttled-log.js'

/** Counters of the Redis path, as shown in `satchel.stats().redis`. */
export interface RedisPathStats {
  /** Round trips that got an answer (including error replies). */
  commands: number
  /** Failed round trips: timeouts, connection errors, auth errors. */
  failures: number
  /** Of the failures, how many were timeouts. */
  timeouts: number
  /** Error replies from a healthy server (WRONGTYPE, script errors). */
  replyErrors: number
  /** Calls refused without asking Redis because the breaker was open. */
  shortCircuited: number
  /** Times a fail-open call used its fallback. */
  fallbacks: number
  /** Commands started and not yet settled. */
  inFlight: number
  /** Round-trip latency of answered commands. */
  latency: LatencySummary
}

/**
 * The one door to Redis. Every primitive sends its commands through `exec` (bounded, breaker
 * guarded, typed errors) or `failOpen` (the same, with a fallback instead of an exception).
 *
 * @example
 * ```ts
 * const n = await satchel.redis.failOpen('counter.get', (r) => r.get(key), () => null)
 * ```
 */
export class RedisGateway {
  /** The raw ioredis client, or undefined in memory-only mode. Bypasses every guard. */
  readonly client: RedisClient | undefined
  readonly #connection: Connection | undefined
  readonly #breaker: CircuitBreaker | undefined
  readonly #o: ResolvedCoreOptions
  readonly #events: SatchelEvents
  readonly #log: ThrottledLog
  readonly #latency = new LatencyHistogram()
  readonly #deadlines: Deadlines
  #commands = 0
  #sequence = 0
  #failures = 0
  #timeouts = 0
  #replyErrors = 0
  #shortCircuited = 0
  #fallbacks = 0
  #closed = false
  #drained: (() => void) | undefined

  constructor(
    handle: ClientHandle | undefined,
    options: ResolvedCoreOptions,
    events: SatchelEvents,
  ) {
    this.#o = options
    this.#events = events
    this.#log = new ThrottledLog(options.logger, options.logIntervalMs)
    this.#deadlines = new Deadlines(options.commandMs, (operation, error) => {
      this.#recordFailure(operation, 'timeout', error)
      this.#afterSettle()
    })
    if (!handle) return
    this.client = handle.client
    this.#breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold,
      probeIntervalMs: options.probeIntervalMs,
      events,
      probe: () => this.#probe(),
    })
    this.#connection = new Connection(handle, events, options.connectMs, () =>
      this.#breaker?.probeNow(),
    )
  }

  /** False in memory-only mode: callers can skip building a command at all. */
  get enabled(): boolean {
    return this.client !== undefined
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closed
  }

  /** The connection tracker (undefined in memory-only mode). */
  get connection(): Connection | undefined {
    return this.#connection
  }

  /** The circuit breaker (undefined in memory-only mode). */
  get breaker(): CircuitBreaker | undefined {
    return this.#breaker
  }

  /**
   * Runs one Redis operation, bounded by `timeouts.commandMs`.
   *
   * @param operation - a short name for logs and metrics, e.g. `'cache.get'`.
   * @throws RedisUnavailableError (`reason`: timeout, circuit-open, disconnected, memory-only,
   *   closed), RedisAuthError, or RedisCommandError for an error reply. A TypeError (or similar)
   *   thrown by `fn` itself is passed through untouched and does not count against Redis.
   */
  exec<T>(operation: string, fn: (client: RedisClient) => Promise<T>): Promise<T> {
    const refusal = this.#refusal()
    if (refusal) return Promise.reject(refusal)
    if (!this.#connection!.isReady) return this.#execWhenReady(operation, fn)
    return this.#run(operation, fn)
  }

  /**
   * {@link exec} answered through callbacks instead of a promise: a caller that settles a promise
   * of its own from the reply (the cache's serial read) saves a promise and a microtask hop per
   * command. `onValue` must not throw. `onError` may be called before this returns (breaker open,
   * closed), so call it only where a synchronous answer is safe.
   */
  send<T>(
    operation: string,
    fn: (client: RedisClient) => Promise<T>,
    onValue: (value: T) => void,
    onError: (error: unknown) => void,
  ): void {
    const refusal = this.#refusal()
    if (refusal) {
      onError(refusal)
      return
    }
    if (!this.#connection!.isReady) {
      this.#execWhenReady(operation, fn).then(onValue, onError)
      return
    }
    const sampled = (++this.#sequence & 3) === 0
    const pending = this.#deadlines.add(operation, onError, sampled ? performance.now() : -1)
    this.#send(pending, fn, onValue, onError)
  }

  /**
   * Runs one Redis operation; on any Redis failure returns `fallback(error)` instead of throwing
   * (a bug in `fn`, such as a TypeError, still throws).
   * Failures are counted and logged at most once per `logIntervalMs` per operation and reason.
   */
  async failOpen<T, F>(
    operation: string,
    fn: (client: RedisClient) => Promise<T>,
    fallback: (error: SatchelError) => F | Promise<F>,
  ): Promise<T | F> {
    try {
      return await this.exec(operation, fn)
    } catch (error) {
      // A bug in the callback stays loud; only Redis trouble is failed open.
      if (!(error instanceof SatchelError)) throw error
      const e = error
      this.#fallbacks++
      const reason = e instanceof RedisUnavailableError ? e.reason : e.code
      if (reason !== 'memory-only') {
        this.#log.warn(
          `${operation}:${reason}`,
          { operation, reason, code: e.code, err: e.message },
          'redis operation failed; using fallback',
        )
      }
      return fallback(e)
    }
  }

  /** Sends one bounded PING, bypassing the breaker; resolves to the latency in ms. */
  async ping(): Promise<number> {
    const refusal = this.#refusal(false)
    if (refusal) throw refusal
    const start = performance.now()
    await this.#probe()
    return performance.now() - start
  }

  stats(): RedisPathStats {
    return {
      commands: this.#commands,
      failures: this.#failures,
      timeouts: this.#timeouts,
      replyErrors: this.#replyErrors,
      shortCircuited: this.#shortCircuited,
      fallbacks: this.#fallbacks,
      inFlight: this.#deadlines.size,
      latency: this.#latency.summary(),
    }
  }

  /**
   * Refuses new work, waits for in-flight commands up to `deadlineMs`, then closes the client if
   * satchel created it. A caller-supplied client is left connected.
   */
  async close(deadlineMs = this.#o.closeDeadlineMs): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#breaker?.dispose()
    const drained = this.#deadlines.size === 0 || (await this.#drain(deadlineMs))
    if (!drained) {
      this.#deadlines.failAll(
        (operation) =>
          new RedisUnavailableError('closed', `satchel closed before Redis answered ${operation}`),
      )
    }
    const connection = this.#connection
    if (!connection) return
    connection.detach()
    if (!connection.owned) return
    const client = connection.client
    // A caller-owned client keeps its own listeners; ours needs one so late socket errors during
    // shutdown are not printed as unhandled.
    client.on('error', () => {})
    if (!drained) {
      // Past the deadline nothing more is owed to a hung server: drop the socket and return.
      client.disconnect()
      return
    }
    const ended = new Promise<void>((resolve) => client.once('end', resolve))
    if (client.status === 'ready') {
      // QUIT lets the server finish what it has; bounded so a hung server cannot hold close().
      await settleWithin(client.quit(), this.#o.commandMs).catch(() => {})
    }
    client.disconnect()
    // Resolve once the socket is really gone, so a caller can exit or restart cleanly.
    await settleWithin(ended, DISCONNECT_GRACE_MS).catch(() => {})
  }

  /** Resolves true when in-flight commands reach zero, false at the deadline. */
  #drain(deadlineMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#drained = undefined
        resolve(false)
      }, deadlineMs)
      this.#drained = () => {
        clearTimeout(timer)
        this.#drained = undefined
        resolve(true)
      }
    })
  }

  #refusal(checkBreaker = true): SatchelError | undefined {
    if (this.#closed) return refused('closed')
    if (!this.client) return refused('memory-only')
    if (checkBreaker && !this.#breaker!.allows) {
      this.#shortCircuited++
      return refused('circuit-open')
    }
    return undefined
  }

  /**
   * The first call (or a call during a reconnect) waits for the connection, but within the same
   * `commandMs` deadline as the command itself: registered before the wait, so a hung or slow
   * server at start costs a caller `commandMs`, not `connectMs` (the connection attempt itself
   * carries on in the background, bounded by `connectMs`).
   */
  #execWhenReady<T>(operation: string, fn: (client: RedisClient) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = this.#deadlines.add(operation, reject, -1)
      this.#connection!.ready().then(
        () => {
          // The deadline already failed the call while it waited: do not send it late.
          if (pending.settled) return
          this.#send(pending, fn, resolve, reject)
        },
        (error: Error) => {
          if (!this.#deadlines.settle(pending)) return
          this.#recordFailure(operation, 'disconnected', error)
          this.#afterSettle()
          reject(error)
        },
      )
    })
  }

  #run<T>(operation: string, fn: (client: RedisClient) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Latency is sampled (1 in 4): percentiles stay accurate and three of four round trips
      // skip two clock reads.
      const sampled = (++this.#sequence & 3) === 0
      const pending = this.#deadlines.add(operation, reject, sampled ? performance.now() : -1)
      this.#send(pending, fn, resolve, reject)
    })
  }

  #send<T>(
    pending: Pending,
    fn: (client: RedisClient) => Promise<T>,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): void {
    // Inline arrows, not named consts: this runs on every round trip, and a named closure is
    // two allocations plus a defineProperty under transpilers that keep function names.
    try {
      fn(this.client!).then(
        (value) => {
          if (this.#answered(pending)) resolve(value)
        },
        (error: unknown) => {
          if (this.#deadlines.settle(pending)) reject(this.#failed(pending, error))
        },
      )
    } catch (error) {
      if (this.#deadlines.settle(pending)) reject(this.#failed(pending, error))
    }
  }

  /** Books a successful answer; false when the deadline already failed the call. */
  #answered(pending: Pending): boolean {
    if (!this.#deadlines.settle(pending)) return false
    this.#commands++
    if (pending.start >= 0) this.#latency.record(performance.now() - pending.start)
    this.#breaker!.success()
    if (this.#drained !== undefined) this.#afterSettle()
    return true
  }

  #failed(pending: Pending, error: unknown): Error {
    const failure = this.#classify(pending.operation, error, pending.start)
    this.#afterSettle()
    return failure
  }

  /**
   * Sorts a rejection into: a bug in the caller's callback (returned as is, Redis not blamed),
   * an error reply (Redis healthy), or a Redis failure (counted against the breaker).
   */
  #classify(operation: string, error: unknown, start: number): Error {
    if (isCallerBug(error)) return error
    if (isReplyError(error) && !isAuthError(error)) {
      // The server answered: Redis is healthy, the command was wrong.
      this.#commands++
      this.#replyErrors++
      if (start >= 0) this.#latency.record(performance.now() - start)
      this.#breaker!.success()
      return new RedisCommandError(operation, { cause: error })
    }
    const failure = isAuthError(error)
      ? this.#connection!.unavailable()
      : new RedisUnavailableError('disconnected', `Redis ${operation} failed: ${describe(error)}`, {
          cause: error,
        })
    this.#recordFailure(operation, 'disconnected', failure)
    return failure
  }

  #recordFailure(operation: string, reason: UnavailableReason, error: Error): void {
    this.#failures++
    if (reason === 'timeout') this.#timeouts++
    this.#breaker!.failure()
    this.#events.emit('redis:error', { operation, reason, error })
  }

  #afterSettle(): void {
    if (this.#drained && this.#deadlines.size === 0) this.#drained()
  }

  async #probe(): Promise<void> {
    const connection = this.#connection!
    // The wait for the connection counts against the PING's own bound, as for every command
    // (see #execWhenReady): `health()` on a server that hangs at start answers in about
    // `commandMs`, not `connectMs`; the connection attempt carries on in the background.
    const pong = connection.isReady
      ? connection.client.ping()
      : connection.ready().then(() => connection.client.ping())
    await settleWithin(pong, this.#o.commandMs)
  }
}

/**
 * A TypeError, RangeError and the like come from JavaScript code (the caller's callback), never
 * from ioredis's connection or protocol handling, whose failures are plain `Error`s or
 * `ReplyError`s; an encode error is the caller's value. Blaming Redis for them would open the
 * breaker over a bug and hide it behind a fallback.
 */
function isCallerBug(error: unknown): error is Error {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError ||
    error instanceof ReferenceError ||
    error instanceof EncodeError
  )
}

/**
 * Refusals carry no per-call detail, so they are built without a stack trace: while Redis is
 * down every call takes this path, and capturing a stack per refusal would make the outage path
 * the expensive one. Each call still gets its own instance: a shared one would be mutated by
 * whoever handles it (loggers tag the errors they serialise, callers attach context), and
 * freezing it instead makes those handlers throw.
 */
function refused(reason: 'closed' | 'memory-only' | 'circuit-open'): RedisUnavailableError {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new RedisUnavailableError(reason, REFUSAL_MESSAGES[reason])
  } finally {
    Error.stackTraceLimit = limit
  }
}

const REFUSAL_MESSAGES = {
  closed: 'satchel is closed',
  'memory-only': 'satchel runs without Redis (memory-only)',
  'circuit-open': 'Redis circuit breaker is open',
} as const

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
