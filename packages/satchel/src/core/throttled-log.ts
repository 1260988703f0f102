import type { Logger } from './logger.js'

/**
 * Logs a recurring failure at most once per interval per key, with a count of what was dropped.
 *
 * When Redis is down every request fails the same way; logging each one would turn an outage
 * into a log storm that costs more than the outage.
 */
export class ThrottledLog {
  readonly #logger: Logger
  readonly #intervalMs: number
  readonly #last = new Map<string, { at: number; suppressed: number }>()

  constructor(logger: Logger, intervalMs: number) {
    this.#logger = logger
    this.#intervalMs = intervalMs
  }

  /**
   * Logs `msg` at warn level unless the same `key` was logged within the interval.
   * @returns whether the line was written.
   */
  warn(key: string, fields: Record<string, unknown>, msg: string, now = Date.now()): boolean {
    const entry = this.#last.get(key)
    if (entry && now - entry.at < this.#intervalMs) {
      entry.suppressed++
      return false
    }
    const suppressed = entry?.suppressed ?? 0
    this.#last.set(key, { at: now, suppressed: 0 })
    this.#logger.warn(suppressed > 0 ? { ...fields, suppressed } : fields, msg)
    return true
  }
}
