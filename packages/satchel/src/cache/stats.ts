/**
 * Counters of one namespace. Plain mutable fields (no Map, no labels) because the hot path
 * increments them on every call.
 *
 * @module
 */
import { LatencyHistogram } from '../core/histogram.js'
import type { CacheNamespaceStats } from './types.js'

/** Mutable counters behind {@link CacheNamespaceStats}. */
export class NamespaceCounters {
  l1Hits = 0
  l2Hits = 0
  misses = 0
  staleServed = 0
  refreshes = 0
  factoryCalls = 0
  factoryErrors = 0
  factoryTimeouts = 0
  redisErrors = 0
  lockWaits = 0
  bytesRead = 0
  bytesWritten = 0
  /** Maintained by L1's dispose hook: entries and bytes this namespace holds in L1. */
  l1Entries = 0
  l1Bytes = 0
  readonly l2Latency = new LatencyHistogram()

  constructor(readonly namespace: string) {}

  snapshot(): CacheNamespaceStats {
    const hits = this.l1Hits + this.l2Hits
    const total = hits + this.misses
    return {
      namespace: this.namespace,
      hits: { l1: this.l1Hits, l2: this.l2Hits },
      misses: this.misses,
      staleServed: this.staleServed,
      refreshes: this.refreshes,
      factoryCalls: this.factoryCalls,
      factoryErrors: this.factoryErrors,
      factoryTimeouts: this.factoryTimeouts,
      redisErrors: this.redisErrors,
      lockWaits: this.lockWaits,
      bytesRead: this.bytesRead,
      bytesWritten: this.bytesWritten,
      hitRate: total === 0 ? 0 : hits / total,
      l2Latency: this.l2Latency.summary(),
      l1: { entries: this.l1Entries, bytes: this.l1Bytes },
    }
  }
}

/**
 * How many namespaces get counters of their own. Names past this share one set of counters,
 * {@link OTHER_NAMESPACES}, so an app that makes a namespace per user, request or job keeps a
 * fixed amount of memory (each set holds a 2 KiB latency histogram) and `stats()` stays short.
 * Nothing is lost: the shared set counts everything its namespaces do, and totals include it.
 */
export const MAX_NAMESPACE_COUNTERS = 256

/** The namespace name reported for the shared counters of namespaces past the cap. */
export const OTHER_NAMESPACES = '(other)'

/**
 * Counters per namespace name, bounded: the root and the first
 * {@link MAX_NAMESPACE_COUNTERS} − 1 other names get their own, in the order they are first
 * used; every later name shares {@link OTHER_NAMESPACES}. First come, first kept, so a
 * namespace's series never moves between its own counters and the shared ones (which would
 * break Prometheus `rate()`); apps create their long-lived namespaces at start, before
 * short-lived ones.
 */
export class NamespaceCounterRegistry {
  readonly #byName = new Map<string, NamespaceCounters>()
  #other: NamespaceCounters | undefined

  constructor(readonly maxNamed = MAX_NAMESPACE_COUNTERS) {}

  /** The counters `name` counts into (created on first use). */
  get(name: string): NamespaceCounters {
    const existing = this.#byName.get(name)
    if (existing !== undefined) return existing
    if (this.#byName.size < this.maxNamed || name === '') {
      const counters = new NamespaceCounters(name)
      this.#byName.set(name, counters)
      return counters
    }
    this.#other ??= new NamespaceCounters(OTHER_NAMESPACES)
    return this.#other
  }

  /** Every set of counters: named ones in first-use order, then the shared one if used. */
  all(): NamespaceCounters[] {
    const out = [...this.#byName.values()]
    if (this.#other !== undefined) out.push(this.#other)
    return out
  }
}
