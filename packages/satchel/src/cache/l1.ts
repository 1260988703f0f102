/**
 * The in-process tier: `lru-cache` with an entry-count cap and a byte cap (bytes = the entry's
 * encoded length, so L1 memory tracks what L2 stores). It holds decoded {@link Entry} objects,
 * so a hit parses nothing; the flip side is that callers share the object, and must not mutate
 * a value they got from the cache.
 *
 * No lru-cache TTL is configured: every read already compares `Date.now()` with the entry's
 * `freshUntil`/`staleUntil`, which are the same instants the L2 key expires at (set from one
 * clock read on write, copied from the envelope on an L2 read). So L1 never serves an entry past
 * the moment its L2 copy expires ("L1 never outlives L2"), and the hot path pays one clock read
 * instead of two.
 *
 * @module
 */
import { LRUCache } from 'lru-cache'
import type { Entry } from './entry.js'
import type { NamespaceCounters } from './stats.js'

/** The shared L1 of one cache (root and every namespace). */
export class L1 {
  readonly #lru: LRUCache<string, Entry>

  /**
   * @param enabled - false when the `cache` flag is off: nothing is ever stored, so every read
   *   misses and every load runs the factory.
   */
  constructor(
    maxEntries: number,
    maxBytes: number,
    readonly enabled = true,
  ) {
    this.#lru = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxBytes,
      // Keeps per-namespace L1 gauges exact on overwrite, delete and eviction alike.
      dispose: (entry) => {
        const owner = entry.owner
        if (owner !== undefined) {
          owner.l1Entries--
          owner.l1Bytes -= entry.size
        }
      },
    })
  }

  get(key: string): Entry | undefined {
    return this.#lru.get(key)
  }

  /** Reads without touching recency (background paths). */
  peek(key: string): Entry | undefined {
    return this.#lru.peek(key)
  }

  set(key: string, entry: Entry, owner: NamespaceCounters): void {
    if (!this.enabled) return
    // The same entry again (an `mget` with a repeated key): lru-cache would not dispose the old
    // one, so counting it twice would inflate the gauges for good.
    if (this.#lru.peek(key) === entry) return
    entry.owner = owner
    owner.l1Entries++
    owner.l1Bytes += entry.size
    this.#lru.set(key, entry, { size: Math.max(1, entry.size) })
    // lru-cache refuses an entry larger than maxSize without calling dispose.
    if (this.#lru.peek(key) !== entry) {
      owner.l1Entries--
      owner.l1Bytes -= entry.size
      entry.owner = undefined
    }
  }

  delete(key: string): boolean {
    return this.#lru.delete(key)
  }

  clear(): void {
    this.#lru.clear()
  }

  /** Deletes every key starting with one of `prefixes`; returns how many. */
  deletePrefixes(prefixes: readonly string[]): number {
    let n = 0
    for (const key of [...this.#lru.keys()]) {
      if (prefixes.some((p) => key.startsWith(p)) && this.#lru.delete(key)) n++
    }
    return n
  }

  /** Deletes every key `matcher` accepts; returns how many. */
  deleteMatching(matcher: RegExp): number {
    let n = 0
    for (const key of [...this.#lru.keys()]) {
      if (matcher.test(key) && this.#lru.delete(key)) n++
    }
    return n
  }

  get entries(): number {
    return this.#lru.size
  }

  get bytes(): number {
    return this.#lru.calculatedSize
  }
}
