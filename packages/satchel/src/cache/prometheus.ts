/**
 * Prometheus metrics for satchel (`satchel/prometheus`). Values are read from `satchel.stats()`
 * at scrape time: nothing is recorded on the hot path, so the collector costs nothing between
 * scrapes. `prom-client` is an optional peer dependency, imported only by this module.
 *
 * @module
 */
import { Counter, register as defaultRegistry, Gauge, type Registry } from 'prom-client'
import { InvalidOptionError } from '../core/errors.js'
import type { LatencySummary } from '../core/histogram.js'
import type { SatchelStats } from '../satchel.js'
import { OTHER_NAMESPACES } from './stats.js'
import type { CacheNamespaceStats } from './types.js'

/** The part of a satchel instance the collector reads. */
export interface StatsSource {
  stats(): SatchelStats
}

/** Options of {@link createPrometheusCollector}. */
export interface PrometheusCollectorOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry
  /** Prepended to every metric name. @default 'satchel_' */
  prefix?: string
  /**
   * Most `namespace` label values per metric, the root included. Namespaces past it (in the
   * order they were first used) are summed into one `namespace="(other)"` series, as are those
   * past satchel's own cap of 256 counted namespaces, so a namespace per user or job cannot
   * blow up the series count. Set it to the number of namespaces you want to see apart.
   * @default 20
   */
  maxNamespaceLabels?: number
}

/** Default of {@link PrometheusCollectorOptions.maxNamespaceLabels}. */
export const DEFAULT_MAX_NAMESPACE_LABELS = 20

/** A registered collector. */
export interface PrometheusCollector {
  /** Names of the registered metrics. */
  readonly metricNames: readonly string[]
  /** Removes the metrics from the registry (e.g. on shutdown, or in tests). */
  unregister(): void
}

type Snapshot = SatchelStats
type Labels = Record<string, string>
type Sample = [labels: Labels, value: number]

interface MetricSpec {
  name: string
  help: string
  kind: 'counter' | 'gauge'
  labels: readonly string[]
  read: (stats: Snapshot) => Sample[]
}

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
] as const

const BREAKER_STATES = ['closed', 'open', 'half-open'] as const

function perNamespace(read: (ns: CacheNamespaceStats) => number): (stats: Snapshot) => Sample[] {
  return (stats) => namespaces(stats).map((ns) => [{ namespace: label(ns.namespace) }, read(ns)])
}

function namespaces(stats: Snapshot): CacheNamespaceStats[] {
  return stats.cache.namespaces
}

/** The root namespace's name is `''`; an empty label value reads as "label absent" in PromQL. */
function label(namespace: string): string {
  return namespace === '' ? 'root' : namespace
}

const SPECS: readonly MetricSpec[] = [
  {
    name: 'cache_hits_total',
    help: 'Cache hits by namespace and tier (l1: in-process, l2: Redis).',
    kind: 'counter',
    labels: ['namespace', 'tier'],
    read: (stats) =>
      namespaces(stats).flatMap((ns): Sample[] => [
        [{ namespace: label(ns.namespace), tier: 'l1' }, ns.hits.l1],
        [{ namespace: label(ns.namespace), tier: 'l2' }, ns.hits.l2],
      ]),
  },
  counter(
    'cache_misses_total',
    'Cache misses (the factory had to run or wait).',
    (ns) => ns.misses,
  ),
  counter(
    'cache_stale_served_total',
    'Stale values served (stale-while-revalidate, soft timeout, fail-safe).',
    (ns) => ns.staleServed,
  ),
  counter('cache_refreshes_total', 'Background refreshes started.', (ns) => ns.refreshes),
  counter('cache_factory_calls_total', 'Factory (loader) calls.', (ns) => ns.factoryCalls),
  counter('cache_factory_errors_total', 'Factory calls that threw.', (ns) => ns.factoryErrors),
  counter(
    'cache_factory_timeouts_total',
    'Factory calls that exceeded their hard timeout.',
    (ns) => ns.factoryTimeouts,
  ),
  counter(
    'cache_redis_errors_total',
    'Cache operations degraded to L1 + factory because Redis failed or the breaker was open.',
    (ns) => ns.redisErrors,
  ),
  counter(
    'cache_lock_waits_total',
    'Callers that waited for another call or process to load the same key.',
    (ns) => ns.lockWaits,
  ),
  counter('cache_read_bytes_total', 'Payload bytes read from Redis.', (ns) => ns.bytesRead),
  counter('cache_written_bytes_total', 'Payload bytes written to Redis.', (ns) => ns.bytesWritten),
  gauge('cache_hit_ratio', 'hits / (hits + misses) since start.', (ns) => ns.hitRate),
  gauge('cache_l1_entries', 'Entries in the in-process tier.', (ns) => ns.l1.entries),
  gauge('cache_l1_bytes', 'Approximate bytes held by the in-process tier.', (ns) => ns.l1.bytes),
  {
    name: 'cache_l2_latency_seconds',
    help: 'L2 (Redis) round-trip latency quantiles since start, from a log-linear histogram.',
    kind: 'gauge',
    labels: ['namespace', 'quantile'],
    read: (stats) =>
      namespaces(stats).flatMap((ns) =>
        QUANTILES.map(
          ([quantile, field]): Sample => [
            { namespace: label(ns.namespace), quantile },
            ns.l2Latency[field] / 1000,
          ],
        ),
      ),
  },
  counter('cache_l2_latency_samples_total', 'L2 round trips measured.', (ns) => ns.l2Latency.count),
  {
    name: 'cache_bus_messages_total',
    help: 'Cache bus messages: published, received from other instances, own ones ignored.',
    kind: 'counter',
    labels: ['direction'],
    read: (stats) => {
      const bus = stats.cache.bus
      if (!bus) return []
      return [
        [{ direction: 'published' }, bus.published],
        [{ direction: 'received' }, bus.received],
        [{ direction: 'ignored_own' }, bus.ignoredOwn],
      ]
    },
  },
  {
    name: 'cache_bus_resyncs_total',
    help: 'Times L1 was cleared because bus messages may have been missed.',
    kind: 'counter',
    labels: [],
    read: (stats) => (stats.cache.bus ? [[{}, stats.cache.bus.resyncs]] : []),
  },
  redisCounter('redis_commands_total', 'Redis round trips answered.', (r) => r.commands),
  redisCounter('redis_failures_total', 'Redis round trips that failed.', (r) => r.failures),
  redisCounter('redis_timeouts_total', 'Redis round trips that hit commandMs.', (r) => r.timeouts),
  redisCounter(
    'redis_reply_errors_total',
    'Error replies from a healthy Redis.',
    (r) => r.replyErrors,
  ),
  redisCounter(
    'redis_short_circuited_total',
    'Calls refused by the open circuit breaker without asking Redis.',
    (r) => r.shortCircuited,
  ),
  redisCounter(
    'redis_fallbacks_total',
    'Fail-open calls that used their fallback.',
    (r) => r.fallbacks,
  ),
  {
    name: 'redis_in_flight',
    help: 'Redis commands started and not yet settled.',
    kind: 'gauge',
    labels: [],
    read: (stats) => [[{}, stats.redis.inFlight]],
  },
  {
    name: 'redis_latency_seconds',
    help: 'Redis round-trip latency quantiles since start (all primitives).',
    kind: 'gauge',
    labels: ['quantile'],
    read: (stats) =>
      QUANTILES.map(
        ([quantile, field]): Sample => [{ quantile }, stats.redis.latency[field] / 1000],
      ),
  },
  {
    name: 'breaker_state',
    help: 'Circuit breaker state: 1 for the current state, 0 for the others.',
    kind: 'gauge',
    labels: ['state'],
    read: (stats) =>
      stats.breaker
        ? BREAKER_STATES.map((state): Sample => [{ state }, stats.breaker?.state === state ? 1 : 0])
        : [],
  },
  {
    name: 'breaker_opened_total',
    help: 'Times the circuit breaker has opened.',
    kind: 'counter',
    labels: [],
    read: (stats) => (stats.breaker ? [[{}, stats.breaker.opened]] : []),
  },
  {
    name: 'values_malformed_total',
    help: 'Redis payloads that could not be decoded (served as misses).',
    kind: 'counter',
    labels: [],
    read: (stats) => [[{}, stats.malformed]],
  },
  {
    name: 'values_too_large_total',
    help: 'Writes skipped because the value exceeded maxValueBytes.',
    kind: 'counter',
    labels: [],
    read: (stats) => [[{}, stats.tooLarge]],
  },
]

/**
 * At most `max` namespaces: the first `max − 1` as they are, the rest summed into one
 * {@link OTHER_NAMESPACES} entry (with satchel's own shared one). Membership only grows, in
 * first-use order, so each series stays monotonic.
 */
export function boundNamespaces(
  namespaces: readonly CacheNamespaceStats[],
  max: number,
): CacheNamespaceStats[] {
  const named = namespaces.filter((ns) => ns.namespace !== OTHER_NAMESPACES)
  if (named.length <= max && named.length === namespaces.length) return [...namespaces]
  const keep = named.slice(0, max - 1)
  const rest = namespaces.filter((ns) => !keep.includes(ns))
  return [...keep, sumNamespaces(rest)]
}

/** One entry counting what `parts` counted; latency quantiles are the largest of the parts'. */
function sumNamespaces(parts: readonly CacheNamespaceStats[]): CacheNamespaceStats {
  const sum = (read: (ns: CacheNamespaceStats) => number) =>
    parts.reduce((total, ns) => total + read(ns), 0)
  const most = (read: (ns: CacheNamespaceStats) => number) =>
    parts.reduce((top, ns) => Math.max(top, read(ns)), 0)
  const hits = { l1: sum((ns) => ns.hits.l1), l2: sum((ns) => ns.hits.l2) }
  const misses = sum((ns) => ns.misses)
  const lookups = hits.l1 + hits.l2 + misses
  const count = sum((ns) => ns.l2Latency.count)
  const l2Latency: LatencySummary = {
    count,
    p50: most((ns) => ns.l2Latency.p50),
    p90: most((ns) => ns.l2Latency.p90),
    p99: most((ns) => ns.l2Latency.p99),
    max: most((ns) => ns.l2Latency.max),
    mean: count === 0 ? 0 : sum((ns) => ns.l2Latency.mean * ns.l2Latency.count) / count,
  }
  return {
    namespace: OTHER_NAMESPACES,
    hits,
    misses,
    staleServed: sum((ns) => ns.staleServed),
    refreshes: sum((ns) => ns.refreshes),
    factoryCalls: sum((ns) => ns.factoryCalls),
    factoryErrors: sum((ns) => ns.factoryErrors),
    factoryTimeouts: sum((ns) => ns.factoryTimeouts),
    redisErrors: sum((ns) => ns.redisErrors),
    lockWaits: sum((ns) => ns.lockWaits),
    bytesRead: sum((ns) => ns.bytesRead),
    bytesWritten: sum((ns) => ns.bytesWritten),
    hitRate: lookups === 0 ? 0 : (hits.l1 + hits.l2) / lookups,
    l2Latency,
    l1: { entries: sum((ns) => ns.l1.entries), bytes: sum((ns) => ns.l1.bytes) },
  }
}

function counter(
  name: string,
  help: string,
  read: (ns: CacheNamespaceStats) => number,
): MetricSpec {
  return { name, help, kind: 'counter', labels: ['namespace'], read: perNamespace(read) }
}

function gauge(name: string, help: string, read: (ns: CacheNamespaceStats) => number): MetricSpec {
  return { name, help, kind: 'gauge', labels: ['namespace'], read: perNamespace(read) }
}

function redisCounter(
  name: string,
  help: string,
  read: (redis: SatchelStats['redis']) => number,
): MetricSpec {
  return { name, help, kind: 'counter', labels: [], read: (stats) => [[{}, read(stats.redis)]] }
}

/**
 * Registers satchel's metrics with a prom-client registry. Per cache namespace (label
 * `namespace`, `root` for `satchel.cache`): hits by tier, misses, stale served, refreshes,
 * factory calls/errors/timeouts, Redis errors, lock waits, bytes, hit ratio, L1 size and L2
 * latency quantiles; plus the bus, the Redis path counters and the breaker state.
 *
 * Counters are set from satchel's own monotonic counters at each scrape (prom-client's
 * `collect` hook), so `rate()` works as usual. One `stats()` snapshot serves a whole scrape.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client'
 * import { createPrometheusCollector } from 'satchel/prometheus'
 *
 * const registry = new Registry()
 * createPrometheusCollector(satchel, { registry, prefix: 'campus_' })
 * app.get('/metrics', async (c) =>
 *   c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }),
 * )
 * ```
 */
export function createPrometheusCollector(
  satchel: StatsSource,
  options: PrometheusCollectorOptions = {},
): PrometheusCollector {
  const registry = options.registry ?? defaultRegistry
  const prefix = options.prefix ?? 'satchel_'
  const maxLabels = options.maxNamespaceLabels ?? DEFAULT_MAX_NAMESPACE_LABELS
  if (!Number.isSafeInteger(maxLabels) || maxLabels < 1) {
    throw new InvalidOptionError('maxNamespaceLabels', 'expected an integer ≥ 1')
  }
  let snapshot: Snapshot | undefined
  // prom-client calls every metric's `collect` synchronously at the start of a scrape, so a
  // snapshot dropped at the next microtask is shared by exactly one scrape.
  const read = (): Snapshot => {
    if (!snapshot) {
      const stats = satchel.stats()
      snapshot = {
        ...stats,
        cache: { ...stats.cache, namespaces: boundNamespaces(stats.cache.namespaces, maxLabels) },
      }
      queueMicrotask(() => {
        snapshot = undefined
      })
    }
    return snapshot
  }

  const names: string[] = []
  for (const spec of SPECS) {
    const name = `${prefix}${spec.name}`
    names.push(name)
    if (spec.kind === 'counter') {
      new Counter({
        name,
        help: spec.help,
        labelNames: spec.labels,
        registers: [registry],
        collect() {
          this.reset()
          for (const [labels, value] of spec.read(read())) this.inc(labels, value)
        },
      })
    } else {
      new Gauge({
        name,
        help: spec.help,
        labelNames: spec.labels,
        registers: [registry],
        collect() {
          this.reset()
          for (const [labels, value] of spec.read(read())) this.set(labels, value)
        },
      })
    }
  }
  return {
    metricNames: names,
    unregister() {
      for (const name of names) registry.removeSingleMetric(name)
    },
  }
}
