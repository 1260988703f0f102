import { RedisUnavailableError } from './errors.js'

/** One command waiting for its answer: a node of the in-flight list. */
export interface Pending {
  /** When the command fails; `Infinity` until the first sweep after it was sent stamps it. */
  deadline: number
  readonly operation: string
  readonly reject: (error: Error) => void
  /** `performance.now()` at send time when this command's latency is sampled, else -1. */
  readonly start: number
  settled: boolean
  prev: Pending | null
  next: Pending | null
}

/**
 * Deadlines for in-flight commands, checked by one shared timer.
 *
 * This sits on every Redis round trip, so it avoids a timer per command (a timer allocation and
 * two timer-list operations), hashing and even a clock read: a command is one small object
 * linked onto an intrusive list and unlinked the moment it is answered, so nothing outlives its
 * round trip (entries kept until a later sweep survive young-generation GC, which measurably
 * costs throughput).
 *
 * A command's deadline is stamped by the first sweep after it was sent (`now + commandMs`), and
 * that sweep runs after the command was sent, so a deadline is never earlier than `commandMs`
 * after the send, however long the event loop was blocked in between (see docs/architecture.md,
 * "Deadlines"). All commands share `commandMs`, so list order is deadline order and the sweep
 * stops at the first entry still within its time; the unstamped entries are a suffix of the list.
 *
 * Overdue commands are failed from a `setImmediate`, not from the timer itself: after a stall
 * (a long synchronous stretch, a GC pause, the process descheduled) the timer phase runs before
 * the poll phase, and an answer already sitting in the socket must be read before its command is
 * declared timed out. A command therefore settles within commandMs + 2 ticks plus event-loop lag:
 * one tick at most before a sweep stamps it, one at most between its deadline and the sweep that
 * sees it overdue. The tick is 4 % of commandMs, from 1 to 4 ms (2 ms for the default 50 ms), so
 * the bound stays close to commandMs; a sweep only runs while commands are in flight, and then
 * costs a clock read and a pointer comparison. A 1 ms tick tightened the bound by 2 ms more but
 * cost ~7 % of serial latency (docs/PERFORMANCE.md, core). The in-flight list also lets `close()` fail what
 * is left at its deadline.
 */
export class Deadlines {
  #head: Pending | null = null
  #tail: Pending | null = null
  /** The first entry not yet stamped by a sweep (the rest of the list after it is unstamped). */
  #unstamped: Pending | null = null
  #live = 0
  #expiryQueued = false
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
    this.#tickMs = Math.max(1, Math.min(4, Math.floor(timeoutMs / 25)))
    this.#onTimeout = onTimeout
  }

  /** Commands in flight. */
  get size(): number {
    return this.#live
  }

  /** Registers a command; call `settle` with the returned entry when it answers. */
  add(operation: string, reject: (error: Error) => void, start: number): Pending {
    const entry: Pending = {
      deadline: Number.POSITIVE_INFINITY,
      operation,
      reject,
      start,
      settled: false,
      prev: this.#tail,
      next: null,
    }
    if (this.#tail === null) this.#head = entry
    else this.#tail.next = entry
    this.#tail = entry
    if (this.#unstamped === null) this.#unstamped = entry
    this.#live++
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
    this.#unlink(entry)
    return true
  }

  /** Fails every command still in flight (used by `close()` at its deadline). */
  failAll(makeError: (operation: string) => Error): void {
    while (this.#head !== null) {
      const entry = this.#head
      entry.settled = true
      this.#unlink(entry)
      entry.reject(makeError(entry.operation))
    }
  }

  readonly #sweep = (): void => {
    const now = performance.now()
    if (this.#unstamped !== null) {
      const deadline = now + this.#timeoutMs
      for (let e: Pending | null = this.#unstamped; e !== null; e = e.next) e.deadline = deadline
      this.#unstamped = null
    }
    if (this.#head !== null && this.#head.deadline <= now && !this.#expiryQueued) {
      this.#expiryQueued = true
      setImmediate(this.#expire)
    }
    if (this.#live === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }

  /** Runs in the check phase, after the poll phase has delivered the answers that arrived. */
  readonly #expire = (): void => {
    this.#expiryQueued = false
    const now = performance.now()
    while (this.#head !== null && this.#head.deadline <= now) {
      const entry = this.#head
      entry.settled = true
      this.#unlink(entry)
      const error = new RedisUnavailableError(
        'timeout',
        `Redis did not answer ${entry.operation} within ${this.#timeoutMs} ms`,
      )
      this.#onTimeout(entry.operation, error)
      entry.reject(error)
    }
  }

  #unlink(entry: Pending): void {
    if (entry === this.#unstamped) this.#unstamped = entry.next
    if (entry.prev === null) this.#head = entry.next
    else entry.prev.next = entry.next
    if (entry.next === null) this.#tail = entry.prev
    else entry.next.prev = entry.prev
    entry.prev = null
    entry.next = null
    this.#live--
  }
}
