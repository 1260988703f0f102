import { once } from 'node:events'
import type { Cluster, Redis } from 'ioredis'
import { type ClientHandle, isClusterClient, type RedisClient } from './client-factory.js'
import { RedisAuthError, RedisUnavailableError, type SatchelError } from './errors.js'
import type { ConnectionStatus, SatchelEvents } from './events.js'
import { isAuthError } from './redis-errors.js'

/**
 * Tracks one ioredis client's readiness and last error, and waits (bounded) for the first
 * connection. ioredis with the offline queue off rejects commands issued while it is still
 * connecting, so a lazily created client needs one bounded wait before its first command.
 */
export class Connection {
  readonly client: RedisClient
  readonly owned: boolean
  readonly kind: ClientHandle['kind']
  #status: ConnectionStatus = 'idle'
  #lastError: Error | undefined
  #waiters = new Set<() => void>()
  readonly #events: SatchelEvents
  readonly #connectMs: number
  readonly #onReady: () => void

  constructor(handle: ClientHandle, events: SatchelEvents, connectMs: number, onReady: () => void) {
    this.client = handle.client
    this.owned = handle.owned
    this.kind = handle.kind
    this.#events = events
    this.#connectMs = connectMs
    this.#onReady = onReady
    this.#status = mapStatus(this.client.status)
    // Without an 'error' listener ioredis prints every connection error to stderr; we record it
    // instead and let the throttled fail-open log decide what is worth a line.
    this.client.on('error', this.#handleError)
    this.client.on('ready', this.#handleReady)
    this.client.on('close', this.#handleClose)
    this.client.on('reconnecting', this.#handleReconnecting)
    this.client.on('end', this.#handleEnd)
  }

  /** Summary status for health reports. */
  get status(): ConnectionStatus {
    return this.#status
  }

  /** The most recent connection-level error, if any: shown by `health()` and `connect()`. */
  get lastError(): Error | undefined {
    return this.#lastError
  }

  /** True when a command can be written now. The hot path checks only this. */
  get isReady(): boolean {
    return this.client.status === 'ready'
  }

  /**
   * Waits until the client is ready, at most `connectMs`. Starts the connection if it was lazy.
   * Fails at once while ioredis is between reconnect attempts: a request must not wait for that.
   */
  async ready(timeoutMs = this.#connectMs): Promise<void> {
    const status = this.client.status
    if (status === 'ready') return
    if (status === 'wait') {
      this.#setStatus('connecting')
      // connect() rejects on failure; the failure is also seen through the events below.
      this.client.connect().catch(() => {})
    } else if (status !== 'connecting' && status !== 'connect') {
      throw this.unavailable()
    }
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        if (this.client.status === 'ready') resolve()
        else reject(this.unavailable())
      }
      const timer = setTimeout(done, timeoutMs)
      this.#waiters.add(done)
    })
    if (isClusterClient(this.client)) {
      await this.#mastersReady(this.client, timeoutMs - (performance.now() - started))
    }
  }

  /**
   * Waits (bounded) for every master's own connection. ioredis connects cluster nodes lazily,
   * and with the offline queue off a command that reaches a node still connecting is bounced and
   * retried after `retryDelayOnFailover` (100 ms): the first burst after start would pay that.
   */
  async #mastersReady(cluster: Cluster, timeoutMs: number): Promise<void> {
    const pending = cluster.nodes('master').filter((node) => node.status !== 'ready')
    if (pending.length === 0 || timeoutMs <= 0) return
    for (const node of pending) this.#handleNode(node)
    const signal = AbortSignal.timeout(Math.ceil(timeoutMs))
    await Promise.all(pending.map((node) => once(node, 'ready', { signal }).catch(() => {})))
  }

  /** The error to surface when there is no usable connection, auth failures made explicit. */
  unavailable(): SatchelError {
    const cause = this.#lastError
    if (cause && isAuthError(cause)) {
      return new RedisAuthError(
        `Redis refused the credentials: ${cause.message}. Check the username and password in REDIS_URL (or the redis options).`,
        { cause },
      )
    }
    const detail = cause ? `: ${cause.message}` : ''
    return new RedisUnavailableError(
      'disconnected',
      `Redis is not connected (status ${this.client.status})${detail}`,
      { cause },
    )
  }

  /** Removes satchel's listeners (the client may belong to the caller). */
  detach(): void {
    this.client.off('error', this.#handleError)
    this.client.off('ready', this.#handleReady)
    this.client.off('close', this.#handleClose)
    this.client.off('reconnecting', this.#handleReconnecting)
    this.client.off('end', this.#handleEnd)
    this.#wake()
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter()
  }

  #setStatus(status: ConnectionStatus, error?: Error): void {
    if (this.#status === status) return
    this.#status = status
    this.#events.emit('connection:change', error ? { status, error } : { status })
  }

  readonly #handleError = (error: Error): void => {
    this.#lastError = error
  }

  readonly #handleReady = (): void => {
    this.#lastError = undefined
    this.#setStatus('ready')
    this.#wake()
    this.#onReady()
  }

  readonly #handleClose = (): void => {
    this.#setStatus('reconnecting', this.#lastError)
    this.#wake()
  }

  readonly #handleReconnecting = (): void => {
    this.#setStatus('reconnecting', this.#lastError)
  }

  /** Connects a cluster node as soon as ioredis learns of it, instead of on its first command. */
  readonly #handleNode = (node: Redis): void => {
    if (node.status === 'wait') node.connect().catch(() => {})
  }

  readonly #handleEnd = (): void => {
    this.#setStatus('closed', this.#lastError)
    this.#wake()
  }
}

function mapStatus(status: string): ConnectionStatus {
  switch (status) {
    case 'ready':
      return 'ready'
    case 'wait':
      return 'idle'
    case 'connecting':
    case 'connect':
      return 'connecting'
    case 'end':
      return 'closed'
    default:
      return 'reconnecting'
  }
}
