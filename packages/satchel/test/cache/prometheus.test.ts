import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrometheusCollector } from '../../src/cache/prometheus.js'
import type { CacheNamespaceStats } from '../../src/cache/types.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { cacheBusReady } from '../helpers.js'

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const got = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    )
    if (Object.keys(got).length !== wanted.length) continue
    if (wanted.every(([k, v]) => got[k] === v)) return Number(match[3])
  }
  return undefined
}

describe('Prometheus collector over a real registry', () => {
  let server: RedisServer
  let satchel: Satchel

  beforeAll(async () => {
    server = await startRedis()
    satchel = createSatchel({ redis: server.url, prefix: 'prom' })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await server?.stop()
  })

  it('exposes per-namespace cache counters equal to satchel.stats(), read at scrape time', async () => {
    const registry = new Registry()
    const collector = createPrometheusCollector(satchel, { registry, prefix: 'campus_' })
    await cacheBusReady(satchel)
    const cache = satchel.cache
    const bundles = cache.namespace('bundles')
    const org = satchel.keys.org('o1')

    // Root: 2 misses (loads), then L1 hits; one L2 hit by skipping L1.
    await cache.getOrSet(org.key('a'), async () => 'a')
    await cache.getOrSet(org.key('b'), async () => 'b')
    for (let i = 0; i < 5; i++) await cache.getOrSet(org.key('a'), async () => 'never')
    await cache.getOrSet(org.key('b'), async () => 'never', { l1: false })
    // A failing factory counts as a factory error.
    await expect(
      cache.getOrSet(org.key('c'), async () => {
        throw new Error('db down')
      }),
    ).rejects.toBeDefined()
    // Namespace: 3 loads, 3 hits.
    for (let i = 0; i < 3; i++) await bundles.getOrSet(`course:${i}`, async () => ({ i }))
    for (let i = 0; i < 3; i++) await bundles.getOrSet(`course:${i}`, async () => ({ i: -1 }))

    const text = await registry.metrics()
    const stats = satchel.stats() as ReturnType<Satchel['stats']> & {
      cache: { namespaces: CacheNamespaceStats[] }
    }
    expect(stats.cache?.namespaces.length).toBeGreaterThanOrEqual(2)
    const root = stats.cache.namespaces.find((n) => n.namespace === '') as CacheNamespaceStats
    const ns = stats.cache.namespaces.find((n) => n.namespace === 'bundles') as CacheNamespaceStats
    expect(root).toBeDefined()
    expect(ns).toBeDefined()
    // The operations above really were counted (so the equality below is not 0 = 0).
    expect(root.hits.l1).toBeGreaterThanOrEqual(5)
    expect(root.hits.l2).toBeGreaterThanOrEqual(1)
    expect(root.factoryCalls).toBe(3)
    expect(root.factoryErrors).toBe(1)
    expect(ns.factoryCalls).toBe(3)
    expect(ns.hits.l1 + ns.hits.l2).toBe(3)

    for (const [label, n] of [
      ['root', root],
      ['bundles', ns],
    ] as const) {
      const at = (name: string, extra: Record<string, string> = {}) =>
        sample(text, `campus_${name}`, { namespace: label, ...extra })
      expect(at('cache_hits_total', { tier: 'l1' })).toBe(n.hits.l1)
      expect(at('cache_hits_total', { tier: 'l2' })).toBe(n.hits.l2)
      expect(at('cache_misses_total')).toBe(n.misses)
      expect(at('cache_stale_served_total')).toBe(n.staleServed)
      expect(at('cache_refreshes_total')).toBe(n.refreshes)
      expect(at('cache_factory_calls_total')).toBe(n.factoryCalls)
      expect(at('cache_factory_errors_total')).toBe(n.factoryErrors)
      expect(at('cache_factory_timeouts_total')).toBe(n.factoryTimeouts)
      expect(at('cache_redis_errors_total')).toBe(n.redisErrors)
      expect(at('cache_lock_waits_total')).toBe(n.lockWaits)
      expect(at('cache_read_bytes_total')).toBe(n.bytesRead)
      expect(at('cache_written_bytes_total')).toBe(n.bytesWritten)
      expect(at('cache_l1_entries')).toBe(n.l1.entries)
      expect(at('cache_hit_ratio')).toBeCloseTo(n.hitRate, 10)
      expect(at('cache_l2_latency_seconds', { quantile: '0.99' })).toBeCloseTo(
        n.l2Latency.p99 / 1000,
        10,
      )
    }
    expect(sample(text, 'campus_breaker_state', { state: 'closed' })).toBe(1)
    expect(sample(text, 'campus_breaker_state', { state: 'open' })).toBe(0)
    expect(sample(text, 'campus_redis_commands_total')).toBeGreaterThan(0)
    expect(text).toContain('# TYPE campus_cache_hits_total counter')
    expect(text).toContain('# TYPE campus_cache_l1_entries gauge')

    // Values are read at scrape time: more hits show up in the next scrape without any call
    // into the collector.
    const before = sample(text, 'campus_cache_hits_total', { namespace: 'root', tier: 'l1' }) ?? 0
    for (let i = 0; i < 4; i++) await cache.getOrSet(org.key('a'), async () => 'never')
    const next = await registry.metrics()
    expect(sample(next, 'campus_cache_hits_total', { namespace: 'root', tier: 'l1' })).toBe(
      before + 4,
    )

    collector.unregister()
    expect(await registry.metrics()).not.toContain('campus_cache_hits_total')
  })

  it('uses the satchel_ prefix by default and refuses a second registration of the same names', () => {
    const registry = new Registry()
    const collector = createPrometheusCollector(satchel, { registry })
    expect(collector.metricNames).toContain('satchel_cache_hits_total')
    expect(collector.metricNames).toContain('satchel_breaker_state')
    expect(() => createPrometheusCollector(satchel, { registry })).toThrow()
    collector.unregister()
  })
})
