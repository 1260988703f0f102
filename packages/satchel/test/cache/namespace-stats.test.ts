import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheStatsReport, cacheTotals } from '../../src/cache/index.js'
import { createPrometheusCollector } from '../../src/cache/prometheus.js'
import { MAX_NAMESPACE_COUNTERS, OTHER_NAMESPACES } from '../../src/cache/stats.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

/** Distinct `namespace` label values in a Prometheus exposition. */
function namespaceLabels(text: string): Set<string> {
  return new Set([...text.matchAll(/namespace="([^"]*)"/g)].map((m) => m[1]!))
}

describe('per-namespace counters stay bounded (real server)', () => {
  let server: RedisServer
  let satchel: Satchel

  beforeAll(async () => {
    server = await startRedis()
    satchel = createSatchel({ redis: server.url, prefix: 'nsb', timeouts: { commandMs: 2000 } })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel.close()
    await server.stop()
  })

  it('50,000 short-lived namespaces keep a bounded set of counters and of label values, losing no count', async () => {
    const cache = satchel.cache
    const longLived = cache.namespace('bundles')
    await longLived.set('k', 'v')
    expect(await longLived.get('k', { l1: false })).toBe('v') // one L2 hit of its own

    // Short-lived namespaces, one per "job": the first few hundred do real Redis work.
    const WORKED = 400
    for (let i = 0; i < 50_000; i++) {
      const job = cache.namespace(`job-${i}`)
      if (i < WORKED) {
        await job.set('result', i)
        expect(await job.get('result', { l1: false })).toBe(i)
      }
    }

    const namespaces = cacheStatsReport(cache).namespaces
    expect(namespaces.length).toBeLessThanOrEqual(MAX_NAMESPACE_COUNTERS + 1)
    expect(namespaces[0]!.namespace).toBe('')
    expect(namespaces.find((ns) => ns.namespace === 'bundles')?.hits.l2).toBe(1)
    const other = namespaces.find((ns) => ns.namespace === OTHER_NAMESPACES)
    expect(other).toBeDefined()
    // Every L2 hit is still counted somewhere: 1 for bundles, one per worked job.
    expect(cacheTotals(namespaces).l2.hits).toBe(1 + WORKED)
    // A namespace past the cap reports the shared counters.
    expect(cache.namespace('job-49999').stats().namespace).toBe(OTHER_NAMESPACES)

    const registry = new Registry()
    createPrometheusCollector(satchel, { registry, maxNamespaceLabels: 10 })
    const text = await registry.metrics()
    const labels = namespaceLabels(text)
    expect(labels.size).toBe(10)
    expect(labels.has('root')).toBe(true)
    expect(labels.has('bundles')).toBe(true)
    expect(labels.has(OTHER_NAMESPACES)).toBe(true)
    // The folded series carries the counts of everything folded into it.
    const l2Hits = [
      ...text.matchAll(/^satchel_cache_hits_total\{namespace="[^"]*",tier="l2"\} (\d+)$/gm),
    ]
    expect(l2Hits.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(1 + WORKED)

    const defaults = new Registry()
    createPrometheusCollector(satchel, { registry: defaults })
    expect(namespaceLabels(await defaults.metrics()).size).toBe(20)
    expect(() =>
      createPrometheusCollector(satchel, { registry: new Registry(), maxNamespaceLabels: 0 }),
    ).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }))
  })
})
