import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { cacheBusReady, memoryLogger } from '../helpers.js'

describe('cache engine: options, stats, debug line, flags, close', () => {
  let server: RedisServer
  const opened: Satchel[] = []
  const open = (o: Parameters<typeof createSatchel>[0] = {}): Satchel => {
    const s = createSatchel({ redis: server.url, prefix: 'en', ...o })
    opened.push(s)
    return s
  }
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
  })

  it('rejects bad options with InvalidOptionError naming the field', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ ttl: 'soon' }, 'cache.ttl'],
      [{ ttl: 0 }, 'cache.ttl'],
      [{ grace: -1 }, 'cache.grace'],
      [{ jitter: 2 }, 'cache.jitter'],
      [{ lock: 'global' }, 'cache.lock'],
      [{ eagerRefresh: 1 }, 'cache.eagerRefresh'],
      [{ l1Limits: { maxEntries: 0 } }, 'cache.l1Limits.maxEntries'],
      [{ lockTtl: 5 }, 'cache.lockTtl'],
    ]
    // Checked at createSatchel, not on first use of the cache.
    for (const [cache, field] of bad) {
      expect(() => open({ cache }), field).toThrow(errors.E_INVALID_OPTION)
      expect(() => open({ cache })).toThrow(`"${field}"`)
    }
    const s = open()
    await expect(s.cache.getOrSet('k', () => 1, { timeout: { hard: 'x' } })).rejects.toThrow(
      errors.E_INVALID_OPTION,
    )
    await expect(s.cache.getOrSet('', () => 1)).rejects.toThrow(errors.E_INVALID_KEY)
    await expect(s.cache.get('')).rejects.toThrow(errors.E_INVALID_KEY)
    expect(() => s.cache.namespace('')).toThrow(errors.E_INVALID_OPTION)
  })

  it('counts per namespace and reflects the cache in satchel.stats()', async () => {
    const s = open()
    // The bus's first subscription drops L1; the L1 counts below must not race it.
    await cacheBusReady(s)
    const root = s.cache
    const ns = root.namespace('reports')
    await root.getOrSet('en:o:1:a', () => 1)
    await root.getOrSet('en:o:1:a', () => 1)
    await ns.getOrSet('x', () => 'x')
    await ns.get('missing')
    await ns.get('x', { l1: false })
    const r = root.stats()
    // L2 latency is sampled (one read in four).
    for (let i = 0; i < 4; i++) await ns.namespace('sampled').get('y')
    expect(r).toMatchObject({ namespace: '', hits: { l1: 1, l2: 0 }, misses: 1, factoryCalls: 1 })
    expect(r.l1.entries).toBe(1)
    expect(r.l1.bytes).toBeGreaterThan(0)
    expect(r.bytesWritten).toBeGreaterThan(0)
    const n = ns.stats()
    expect(n).toMatchObject({ namespace: 'reports', hits: { l1: 0, l2: 1 }, misses: 2 })
    expect(root.namespace('reports').namespace('sampled').stats().l2Latency.count).toBe(1)
    const top = s.stats()
    expect(top.cache.namespaces.map((x) => x.namespace)).toEqual(['', 'reports', 'reports/sampled'])
    expect(top.cache.bus).not.toBeNull()
    expect(top.hits).toBe(2)
    expect(top.misses).toBe(3 + 4)
    expect(top.hitRate).toBeCloseTo(2 / 9)
    expect(top.l1).toMatchObject({ hits: 1, entries: 2 })
    expect(top.l2.hits).toBe(1)
    expect(top.bytesRead).toBe(r.bytesRead + n.bytesRead)
    // Before the cache is used, the report is empty.
    const fresh = open()
    expect(fresh.stats().cache).toEqual({ namespaces: [], bus: null, firstRead: null })
  })

  it('logs one debug line per operation when debug is on', async () => {
    const logger = memoryLogger()
    const s = open({ logger, cache: { debug: true } })
    await s.cache.getOrSet('en:o:1:k', () => 1)
    await s.cache.getOrSet('en:o:1:k', () => 1)
    await s.cache.del('en:o:1:k')
    const lines = logger.lines.filter((l) => l.level === 'debug').map((l) => l.msg)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^\[Cache\] GET en:o:1:k: MISS \(\d+\.\d{2}ms\)$/)
    expect(lines[1]).toMatch(/^\[Cache\] GET en:o:1:k: HIT \(\d+\.\d{2}ms\)$/)
    expect(lines[2]).toMatch(/^\[Cache\] DEL en:o:1:k: DEL/)
    const quiet = memoryLogger()
    const q = open({ logger: quiet })
    await q.cache.getOrSet('en:o:1:k', () => 1)
    expect(quiet.lines.filter((l) => l.level === 'debug')).toHaveLength(0)
  })

  it('with the cache flag off, every call runs the factory and nothing is stored', async () => {
    const s = open({ flags: '-cache' })
    let calls = 0
    expect(await s.cache.getOrSet('en:o:1:f', () => ++calls)).toBe(1)
    expect(await s.cache.getOrSet('en:o:1:f', () => ++calls)).toBe(2)
    await s.cache.set('en:o:1:f', 'x')
    expect(await s.cache.get('en:o:1:f')).toBeUndefined()
    expect(await s.redis.exec('exists', (r) => r.exists('en:o:1:f'))).toBe(0)
    expect(s.stats().cache.bus).toBeNull()
  })

  it('lock: false runs the factory for every concurrent caller', async () => {
    const s = open()
    let calls = 0
    const factory = async () => {
      calls++
      await new Promise((r) => setTimeout(r, 10))
      return calls
    }
    await Promise.all(
      Array.from({ length: 5 }, () => s.cache.getOrSet('en:o:1:nolock', factory, { lock: false })),
    )
    expect(calls).toBe(5)
  })

  it('close() aborts running factories and stops extending their locks', async () => {
    const s = createSatchel({ redis: server.url, prefix: 'en', cache: { lockTtl: 300 } })
    const raw = new Redis(server.url)
    try {
      let signal: AbortSignal | undefined
      const pending = s.cache
        .getOrSet('en:o:1:slow', (ctx) => {
          signal = ctx.signal
          return new Promise<number>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve(1)),
          )
        })
        .catch(() => 0)
      await new Promise((r) => setTimeout(r, 150))
      // The holder extends its lock (a marker in the key itself) while the factory runs.
      expect(await raw.pttl('en:o:1:slow')).toBeGreaterThan(150)
      await s.close()
      expect(signal?.aborted).toBe(true)
      expect(await pending).toBe(1)
      // After close nothing extends it: it runs out within one lock TTL.
      const left = await raw.pttl('en:o:1:slow')
      await new Promise((r) => setTimeout(r, left + 20))
      expect(await raw.exists('en:o:1:slow')).toBe(0)
      // A closed cache still answers from the factory, without Redis and without throwing.
      expect(await s.cache.getOrSet('en:o:1:after', () => 'ok')).toBe('ok')
    } finally {
      raw.disconnect()
    }
  })
})
