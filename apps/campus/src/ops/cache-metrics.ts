/**
 * The body of `GET /api/v1/cache`: what the seed's metrics endpoint reports (hits, misses, hit
 * rate as a percentage, Redis health), plus the course bundle outcomes the rollout watches.
 *
 * @module
 */
import type { CampusDeps } from '../deps.js'

/** The seed's targets: 90% hit rate, sub-millisecond cache reads. */
const HIT_RATE_TARGET = 90

const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100

/** `data` of `/api/v1/cache`. */
export interface CacheMetrics {
  redis: {
    hits: number
    misses: number
    /** Percentage, two decimals (90.91). */
    hitRate: number
    stale: number
    errors: number
    health: { connected: boolean; latency: number | null; status: string }
  }
  performance: {
    hitRateAchieved: boolean
    subMillisecondReads: boolean
    l1Hits: number
    l2Hits: number
    /** Redis round trips of cache reads (ms). */
    l2LatencyMs: { p50: number; p99: number; samples: number }
  }
  bundles: {
    hits: number
    misses: number
    missingData: number
    hitRate: number
    byRoute: Record<string, Record<string, number>>
  }
}

/** Reads satchel's counters and health and the bundle fetch counter. */
export async function cacheMetrics(
  deps: Pick<CampusDeps, 'satchel' | 'content'>,
): Promise<CacheMetrics> {
  const stats = deps.satchel.stats()
  const health = await deps.satchel.health()
  const latency = stats.l2.latency
  const hitRate = percent(stats.hits, stats.hits + stats.misses)
  const byRoute: Record<string, Record<string, number>> = {}
  const totals: Record<string, number> = {}
  for (const { labels, value } of (await deps.content.metrics.bundleFetches.get()).values) {
    const route = String(labels.route ?? 'other')
    const outcome = String(labels.outcome ?? 'unknown')
    byRoute[route] = { ...byRoute[route], [outcome]: value }
    totals[outcome] = (totals[outcome] ?? 0) + value
  }
  const bundleHits = totals.bundle_hit ?? 0
  const bundleMisses = totals.bundle_miss ?? 0
  return {
    redis: {
      hits: stats.hits,
      misses: stats.misses,
      hitRate,
      stale: stats.stale,
      errors: stats.errors,
      health: {
        connected: health.redis.status === 'up',
        latency: health.redis.latencyMs,
        status: health.status,
      },
    },
    performance: {
      hitRateAchieved: hitRate >= HIT_RATE_TARGET,
      // Most hits are served from L1 (no round trip) or Redis answered within a millisecond.
      subMillisecondReads: stats.l1.hits >= stats.l2.hits || latency.p50 < 1,
      l1Hits: stats.l1.hits,
      l2Hits: stats.l2.hits,
      l2LatencyMs: { p50: latency.p50, p99: latency.p99, samples: latency.count },
    },
    bundles: {
      hits: bundleHits,
      misses: bundleMisses,
      missingData: totals.bundle_missing_data ?? 0,
      hitRate: percent(bundleHits, bundleHits + bundleMisses),
      byRoute,
    },
  }
}
