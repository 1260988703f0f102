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
