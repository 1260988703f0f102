/**
 * The two-tier cache: in-process L1 (`lru-cache`, decoded values) over Redis L2 (encoded
 * envelopes with fresh-until, stale-until and tags), with stampede protection across processes,
 * stale-while-revalidate, fail-safe, soft/hard factory timeouts, O(1) tag invalidation,
 * Cluster-safe pattern deletion and cross-instance L1 invalidation over a bus.
 *
 * Redis is an accelerator: when it is slow or down every call still answers from L1 or the
 * factory, each Redis round trip bounded by `commandMs` (a call makes at most a few: read, tag
 * stamps, lock), and the failure is counted (`stats().redisErrors`), never thrown.
 *
 * Key layout: see `core.ts`. Tag consistency model: see `tags.ts`. Envelope: see `entry.ts`.
 *
 * @module
 */
import type { SatchelContext } from '../core/context.js'
import type { LatencySummary } from '../core/histogram.js'
import { CacheCore } from './core.js'
import { CacheNamespace } from './namespace.js'
import { resolveCacheOptions } from './options.js'
import type {
  Cache,
  CacheBusStats,
  CacheFirstReadStats,
  CacheNamespaceStats,
  CacheOptions,
} from './types.js'

export { globToRegExp } from './pattern.js'
export type * from './types.js'

/**
 * Everything the cache reports to `satchel.stats()`.
 * @example const { namespaces, bus } = satchel.stats().cache
 */
export interface CacheStatsReport {
  namespaces: CacheNamespaceStats[]
  bus: CacheBusStats | null
  /** L2 read latency over every namespace. */
  l2Latency?: LatencySummary
  /** How `getOrSet` reads Redis first, and why. */
  firstRead?: CacheFirstReadStats
}

/**
 * Cache totals over every namespace, as `satchel.stats()` shows them at the top level.
 * @example const { hits, misses, l1 } = cacheTotals(satchel.stats().cache.namespaces)
 */
export interface CacheTotals {
  hits: number
  misses: number
  stale: number
  errors: number
  bytesRead: number
  bytesWritten: number
  l1: { hits: number; entries: number; bytes: number }
  l2: { hits: number }
}

const reports = new WeakMap<Cache, () => CacheStatsReport>()

/**
 * Counters of every namespace of a cache made by {@link createCache}, and its bus.
 * @example const { namespaces } = cacheStatsReport(satchel.cache)
 */
export function cacheStatsReport(cache: Cache): CacheStatsReport {
  return reports.get(cache)?.() ?? { namespaces: [], bus: null }
}

/**
 * Sums namespace counters into top-level totals (`errors` = Redis errors the cache absorbed).
 * @example const totals = cacheTotals(cacheStatsReport(satchel.cache).namespaces)
 */
export function cacheTotals(namespaces: readonly CacheNamespaceStats[]): CacheTotals {
  const t: CacheTotals = {
    hits: 0,
    misses: 0,
    stale: 0,
    errors: 0,
    bytesRead: 0,
    bytesWritten: 0,
    l1: { hits: 0, entries: 0, bytes: 0 },
    l2: { hits: 0 },
  }
  for (const n of namespaces) {
    t.hits += n.hits.l1 + n.hits.l2
    t.misses += n.misses
    t.stale += n.staleServed
    t.errors += n.redisErrors
    t.bytesRead += n.bytesRead
    t.bytesWritten += n.bytesWritten
    t.l1.hits += n.hits.l1
    t.l1.entries += n.l1.entries
    t.l1.bytes += n.l1.bytes
    t.l2.hits += n.hits.l2
  }
  return t
}

/**
 * Creates the root cache. `satchel.cache` calls this on first use; options are validated here.
 *
 * @throws InvalidOptionError naming the offending `cache.*` field.
 * @example
 * ```ts
 * const satchel = createSatchel({ redis: process.env.REDIS_URL, cache: { ttl: '5m', grace: '1h' } })
 * const report = await satchel.cache.getOrSet(
 *   satchel.keys.org(orgId).key('report', id),
 *   ({ signal }) => db.report(id, { signal }),
 *   { tags: [`org:${orgId}`], timeout: { soft: 200, hard: '2s' } },
 * )
 * ```
 */
export function createCache(ctx: SatchelContext, options: CacheOptions): Cache {
  const resolved = resolveCacheOptions(options, ctx.gateway.enabled && ctx.flags.enabled('cache'))
  const core = new CacheCore(ctx, resolved)
  const root = new CacheNamespace(core, '', '', resolved)
  reports.set(root, () => ({
    namespaces: core.allCounters().map((c) => c.snapshot()),
    bus: core.bus?.stats() ?? null,
    l2Latency: core.l2.latency.summary(),
    firstRead: core.firstRead.stats(),
  }))
  return root
}
