/**
 * Prometheus metrics of content: what the seed's dashboards watch (bundle fetches per route,
 * bundle payload size, Redis bytes per route). Registered on a registry the app owns, so two
 * apps in one test process do not collide.
 *
 * @module
 */
import { Counter, Histogram, type Registry } from 'prom-client'
import type { Satchel } from 'satchel'
import { currentContentRequest } from './request-context.js'

/** Outcome tags of a bundle fetch, as the logs carry them. */
export type BundleOutcome =
  | 'bundle_hit'
  | 'bundle_miss'
  | 'bundle_missing_data'
  | 'bundle_invalid_metadata'

/** The metrics content code updates. */
export interface ContentMetrics {
  bundleFetches: Counter<'route' | 'outcome'>
  bundleBytes: Histogram<never>
  redisBytesRead: Counter<'route'>
  /** Stops listening to satchel's read events. */
  detach(): void
}

/**
 * Creates the content metrics on `registry` and starts counting the Redis bytes satchel reads,
 * attributed to the route in the current request context (`other` outside one).
 */
export function createContentMetrics(registry: Registry, satchel: Satchel): ContentMetrics {
  const bundleFetches = new Counter({
    name: 'campus_bundle_fetches_total',
    help: 'Course bundle fetches by route and outcome (bundle_hit: from cache; bundle_miss: built from the database).',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  })
  const bundleBytes = new Histogram({
    name: 'campus_bundle_bytes',
    help: 'Encoded size of course bundles when built (bytes).',
    buckets: [4_096, 16_384, 65_536, 131_072, 262_144, 524_288, 1_048_576, 4_194_304],
    registers: [registry],
  })
  const redisBytesRead = new Counter({
    name: 'campus_redis_bytes_read_total',
    help: 'Bytes of cached values read from Redis, by route.',
    labelNames: ['route'] as const,
    registers: [registry],
  })
  const detach = satchel.events.on('cache:read', ({ bytes }) => {
    const request = currentContentRequest()
    if (request) request.redisBytes += bytes
    redisBytesRead.inc({ route: request?.route ?? 'other' }, bytes)
  })
  return { bundleFetches, bundleBytes, redisBytesRead, detach }
}
