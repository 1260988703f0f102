import { RedisUnavailableError } from './errors.js'

/** One command waiting for its answer. */
interface Pending {
  readonly deadline: number
  readonly operation: string
  readonly reject: (error: Error) => void
  settled: boolean
}

/**
 * Deadlines for in-flight commands, checked by one shared timer.
 *
 * A `setTimeout` per command costs a timer allocation and two timer-list operations on every
 * Redis round trip; here a command costs one small object and a Set insert/delete, and a single
 * timer ticks only while something is in flight. Commands all share `commandMs`, so insertion order
 * is deadline order and a sweep stops at the first command still within its time.
 * Keeping the in-flight set also lets `close()` fail what is left at its deadline.
 */
export class Deadlines {
  readonly #pending = new Set<Pending>()
  readonly #timeoutMs: number
  readonly #tickMs: number
  readonly #onTimeout: (operation: string, error: RedisUnavailableError) => void
  #timer: NodeJS.Timeout | undefined

  /**
   * @param timeoutMs - every command's deadline.
   * @param onTimeout - called once per expired command, before its promise rejects.
   */
  constructor(
    timeoutMs: number,
    onTimeout: (operation: string, error: RedisUnavailableError) => void,
  ) {
    this.#timeoutMs = timeoutMs
    // A tenth of the deadline, 1..5 ms: a command settles within commandMs + 5 ms plus timer lag.
    this.#tickMs = Math.max(1, Math.min(5, Math.floor(timeoutMs / 10)))
    this.#onTimeout = onTimeout
  }

  /** Commands in flight. */
  get size(): number {
    return this.#pending.size
  }

  /** Registers a command; call `settle` with the returned entry when it answers. */
  add(operation: string, reject: (error: Error) => void): Pending {
    const entry: Pending = {
      deadline: performance.now() + this.#timeoutMs,
      operation,
      reject,
      settled: false,
    }
    this.#pending.add(entry)
    if (this.#timer === undefined) {
      this.#timer = setInterval(this.#sweep, this.#tickMs)
      this.#timer.unref()
    }
    return entry
  }

  /** Marks a command answered. Returns false if its deadline already fired. */
  settle(entry: Pending): boolean {
    if (entry.settled) return false
    entry.settled = true
    this.#pending.delete(entry)
    return true
  }

  /** Fails every command still in flight (used by `close()` at its deadline). */
  failAll(makeError: (operation: string) => Error): void {
    for (const entry of this.#pending) {
      entry.settled = true
      entry.reject(makeError(entry.operation))
    }
    this.#pending.clear()
    this.#stop()
  }

  readonly #sweep = (): void => {
    const now = performance.now()
    for (const entry of this.#pending) {
      if (entry.deadline > now) break
      entry.settled = true
      this.#pending.delete(entry)
      const error = new RedisUnavailableError(
        'timeout',
        `Redis did not answer ${entry.operation} within ${this.#timeoutMs} ms`,
      )
      this.#onTimeout(entry.operation, error)
      entry.reject(error)
    }
    if (this.#pending.size === 0) this.#stop()
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
