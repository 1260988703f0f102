/**
 * A short in-process history of satchel's cache statistics, sampled every
 * {@link SAMPLE_INTERVAL_MS}, so the dashboard can chart hit rate, read latency and Redis errors
 * over the last hour without a time-series database. Each instance charts its own traffic;
 * Prometheus (docs/ops/) holds the long view across instances.
 *
 * @module
 */
import type { Satchel } from 'satchel'

/** One sample: rates are over the interval since the previous sample. */
export interface StatsSample {
  /** Epoch ms. */
  readonly at: number
  /** Hits / (hits + misses) in the interval, 0–1; null when there were no reads. */
  readonly hitRate: number | null
  /** Redis round trips of cache reads, p50 and p99 (ms), since start. */
  readonly latencyP50: number
  readonly latencyP99: number
  /** Redis errors (failed round trips, timeouts among them) in the interval. */
  readonly redisErrors: number
  /** Reads (hits + misses) in the interval. */
  readonly reads: number
  readonly breaker: string
}

/** The sampler. */
export interface StatsHistory {
  /** Samples, oldest first. */
  samples(): readonly StatsSample[]
  /** Takes a sample now (the dashboard takes one per view, so it never shows nothing). */
  sample(): StatsSample
  close(): void
}

/** Sampling interval. */
export const SAMPLE_INTERVAL_MS = 15_000

/** Samples kept: one hour at the interval. */
export const MAX_SAMPLES = 240

/** Starts sampling `satchel` (the timer does not keep the process alive). */
export function createStatsHistory(satchel: Satchel): StatsHistory {
  const kept: StatsSample[] = []
  let previous = { hits: 0, misses: 0, errors: 0 }
  const sample = (): StatsSample => {
    const stats = satchel.stats()
    // failures include timeouts; short-circuited calls (breaker open) are not Redis errors.
    const errors = stats.redis.failures
    const hits = stats.hits - previous.hits
    const misses = stats.misses - previous.misses
    const newErrors = errors - previous.errors
    previous = { hits: stats.hits, misses: stats.misses, errors }
    const reads = hits + misses
    const taken: StatsSample = {
      at: Date.now(),
      hitRate: reads === 0 ? null : hits / reads,
      latencyP50: stats.l2.latency.p50,
      latencyP99: stats.l2.latency.p99,
      redisErrors: Math.max(0, newErrors),
      reads,
      breaker: stats.breaker?.state ?? 'none',
    }
    kept.push(taken)
    if (kept.length > MAX_SAMPLES) kept.shift()
    return taken
  }
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS)
  timer.unref()
  return {
    samples: () => kept,
    sample,
    close: () => clearInterval(timer),
  }
}
