import { LRUCache } from 'lru-cache'

/** What the block cache remembers about an identifier that is over its limit. */
interface Block {
  /** `performance.now()` until which a cost-1 call cannot pass. */
  until: number
  /** The decision's `resetAt` (epoch ms), repeated in local rejections. */
  resetAt: number
}

/**
 * Identifiers known to be over the limit, rejected in-process until a cost-1 call could pass
 * again. Under attack (one IP hammering login) this turns every rejected call after the first
 * into a map lookup instead of a Redis round trip.
 *
 * Deadlines use this process's monotonic clock plus the wait Redis computed, so clock skew
 * between app servers and Redis does not matter. Bounded by `maxEntries` (LRU): an attacker
 * rotating identifiers evicts entries, which only costs Redis calls, never correctness.
 *
 * @example
 * ```ts
 * const blocks = new BlockCache(10_000)
 * blocks.block('ip:203.0.113.9', 1500, resetAt)
 * blocks.get('ip:203.0.113.9') // { remainingMs: ~1500, resetAt }
 * ```
 */
export class BlockCache {
  readonly #entries: LRUCache<string, Block>

  constructor(maxEntries: number) {
    this.#entries = new LRUCache<string, Block>({ max: maxEntries })
  }

  get size(): number {
    return this.#entries.size
  }

  /** Blocks `identifier` for `ms` milliseconds. */
  block(identifier: string, ms: number, resetAt: number): void {
    if (ms <= 0) return
    this.#entries.set(
      identifier,
      { until: performance.now() + ms, resetAt },
      { ttl: Math.ceil(ms) },
    )
  }

  /** The remaining block, or undefined when `identifier` is not blocked. */
  get(identifier: string): { remainingMs: number; resetAt: number } | undefined {
    if (this.#entries.size === 0) return undefined
    const entry = this.#entries.get(identifier)
    if (entry === undefined) return undefined
    const remainingMs = entry.until - performance.now()
    if (remainingMs <= 0) {
      this.#entries.delete(identifier)
      return undefined
    }
    return { remainingMs, resetAt: entry.resetAt }
  }

  delete(identifier: string): void {
    this.#entries.delete(identifier)
  }
}
