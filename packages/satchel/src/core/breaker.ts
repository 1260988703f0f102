import type { BreakerState, SatchelEvents } from './events.js'

/** Breaker settings (resolved). */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number
  /** While open, time between probes. */
  probeIntervalMs: number
  /** One bounded round trip to Redis (a PING); resolves when Redis answered. */
  probe: () => Promise<unknown>
  events: SatchelEvents
}

/** What `health()` shows of the breaker. */
export interface BreakerSnapshot {
  state: BreakerState
  consecutiveFailures: number
  /** Times the breaker has opened since start. */
  opened: number
  /** Epoch ms of the last state change, or null. */
  changedAt: number | null
}

/**
 * A circuit breaker in front of Redis.
 *
 * Closed: calls go through; `failureThreshold` consecutive failures open it.
 * Open: `allows()` is false, so no call waits on Redis; a timer sends one probe every
 * `probeIntervalMs` (and at once when the client reports `ready`).
 * Half-open: the probe is in flight; calls are still refused. Success closes, failure re-opens.
 *
 * Probing with our own PING, rather than letting a live request through, means recovery needs no
 * traffic and no user request ever pays the timeout of a server that is still down.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed'
  #failures = 0
  #opened = 0
  #changedAt: number | null = null
  #timer: NodeJS.Timeout | undefined
  #disposed = false
  readonly #o: BreakerOptions

  constructor(options: BreakerOptions) {
    this.#o = options
  }

  /** Current state. */
  get state(): BreakerState {
    return this.#state
  }

  /** Whether a call may go to Redis now. The hot path reads only this. */
  get allows(): boolean {
    return this.#state === 'closed'
  }

  /** Records a successful round trip. */
  success(): void {
    this.#failures = 0
  }

  /** Records a failed or timed-out round trip; opens the breaker at the threshold. */
  failure(): void {
    this.#failures++
    if (this.#state === 'closed' && this.#failures >= this.#o.failureThreshold) this.#open()
  }

  /** Probes now instead of waiting for the timer (the client just reconnected). */
  probeNow(): void {
    if (this.#state !== 'open' || this.#disposed) return
    clearTimeout(this.#timer)
    void this.#probe()
  }

  /** Stops the probe timer. */
  dispose(): void {
    this.#disposed = true
    clearTimeout(this.#timer)
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.#state,
      consecutiveFailures: this.#failures,
      opened: this.#opened,
      changedAt: this.#changedAt,
    }
  }

  #open(): void {
    this.#opened++
    this.#transition('open')
    this.#schedule()
  }

  #schedule(): void {
    if (this.#disposed) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#probe(), this.#o.probeIntervalMs)
    // A breaker must never keep a process alive on its own.
    this.#timer.unref()
  }

  async #probe(): Promise<void> {
    if (this.#state !== 'open' || this.#disposed) return
    this.#transition('half-open')
    try {
      await this.#o.probe()
      if (this.#disposed) return
      this.#failures = 0
      this.#transition('closed')
    } catch {
      if (this.#disposed) return
      this.#transition('open')
      this.#schedule()
    }
  }

  #transition(to: BreakerState): void {
    const from = this.#state
    if (from === to) return
    this.#state = to
    this.#changedAt = Date.now()
    this.#o.events.emit('breaker:change', {
      from,
      to,
      failures: this.#failures,
      at: this.#changedAt,
    })
  }
}
