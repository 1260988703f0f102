import { Cluster } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type CacheOptions, createSatchel, errors, type Satchel } from '../../src/index.js'
import {
  type RedisCluster,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../../src/testing/index.js'
import { timed } from '../helpers.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('cache consistency edges (single Redis)', () => {
  let server: RedisServer
  const opened: Satchel[] = []
  const open = (cache: CacheOptions = {}): Satchel => {
    const s = createSatchel({
      redis: server.url,
      prefix: 'cs',
      timeouts: { commandMs: 500, connectMs: 2000 },
      cache,
    })
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

  it('a stale L1 copy is not served once Redis says the key was deleted (bus message missed)', async () => {
    // No bus: the delete on `b` never reaches `a`'s L1, as when a message is lost.
    const a = open({ bus: false })
    const b = open({ bus: false })
    const key = a.keys.org('o').key('deleted')
    expect(await a.cache.getOrSet(key, () => 'v1', { ttl: 100, grace: '10s' })).toBe('v1')
    await b.cache.del(key)
    await sleep(150) // fresh time over, grace not: a's L1 copy is stale but "servable"
    let calls = 0
    const value = await a.cache.getOrSet(key, () => `v${++calls + 1}`, { ttl: 100, grace: '10s' })
    expect(value).toBe('v2')
    expect(calls).toBe(1)
  })

  for (const change of ['del', 'set'] as const) {
    it(`a load that began before a ${change} does not store its older value after it`, async () => {
      const s = open()
      const other = open()
      const key = s.keys.org('o').key('raced', change)
      let release: (value: string) => void = () => {}
      let running: () => void = () => {}
      const started = new Promise<void>((r) => {
        running = r
      })
      const first = s.cache.getOrSet(key, () => {
        running()
        return new Promise<string>((r) => {
          release = r
        })
      })
      await started // the factory is running
      if (change === 'del') await s.cache.del(key)
      else await s.cache.set(key, 'explicit')
      release('old')
      // The callers that asked before the change still get the load's value...
      expect(await first).toBe('old')
      await sleep(30)
      // ...but neither tier keeps it: this instance and another one see the change.
      const expected = change === 'del' ? undefined : 'explicit'
      expect(await s.cache.get(key)).toBe(expected)
      expect(await other.cache.get(key)).toBe(expected)
    })
  }

  it('a caller joining a load in flight is bounded by its own hard timeout', async () => {
    const s = open()
    const key = s.keys.org('o').key('slow')
    const first = s.cache.getOrSet(key, async () => {
      await sleep(600)
      return 'slow'
    })
    const joined = await timed(s.cache.getOrSet(key, () => 'unused', { timeout: { hard: 100 } }))
    expect(joined.error).toBeInstanceOf(errors.E_FACTORY_TIMEOUT)
    expect(joined.ms).toBeLessThan(400)
    expect(await first).toBe('slow')
  })

  it('timeout.hard bounds the whole call, lock wait included', async () => {
    const holder = open()
    const waiter = open({ lockWait: 200 })
    const key = holder.keys.org('o').key('locked')
    const held = holder.cache.getOrSet(key, async () => {
      await sleep(1500)
      return 'holder'
    })
    await sleep(50) // the holder has the distributed lock
    const result = await timed(
      waiter.cache.getOrSet(
        key,
        async () => {
          await sleep(1000)
          return 'waiter'
        },
        { timeout: { hard: 500 } },
      ),
    )
    expect(result.error).toBeInstanceOf(errors.E_FACTORY_TIMEOUT)
    // 200 ms of lock wait + the remaining 300 ms, not 200 + 500.
    expect(result.ms).toBeLessThan(650)
    expect(await held).toBe('holder')
  })
})

describe('cache clear on a Cluster right after start', () => {
  let cluster: RedisCluster
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(async () => {
    await cluster.stop()
  })

  it('delPattern on a client that has not connected yet still reaches every master', async () => {
    const writer = new Cluster(cluster.startupNodes)
    const keys = Array.from({ length: 60 }, (_, i) => `cc:o:org-1:report:${i}`)
    for (const key of keys) await writer.set(key, 'x')
    await writer.quit()
    // A fresh satchel whose lazy Cluster client has not connected: the first call is the clear.
    const s = createSatchel({ redis: { cluster: { nodes: cluster.startupNodes } }, prefix: 'cc' })
    try {
      expect(await s.cache.delPattern(s.keys.org('org-1').pattern('report'))).toBe(60)
    } finally {
      await s.close()
    }
  })
})
