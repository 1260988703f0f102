import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'
import { keyServedBy, LOADED_MACHINE_SLACK_MS, timed } from '../helpers.js'

describe('satchel on a Redis Cluster (3 masters, 1 replica each)', () => {
  let cluster: RedisCluster
  let satchel: Satchel

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 })
    satchel = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      prefix: 'campus',
      timeouts: { commandMs: 100, connectMs: 2000 },
      breaker: { failureThreshold: 1000 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await cluster?.stop()
  })

  /** The server's own answer, not a re-implementation of CRC16. */
  async function slotOf(key: string): Promise<number> {
    return satchel.redis.exec('keyslot', (r) => r.cluster('KEYSLOT', key))
  }

  it('reads and writes keys spread over every master', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => satchel.keys.org('org-1').key('item', i))
    const slots = new Set(await Promise.all(keys.map(slotOf)))
    expect(slots.size).toBeGreaterThan(100)
    await Promise.all(keys.map((k, i) => satchel.redis.exec('set', (r) => r.set(k, String(i)))))
    const values = await Promise.all(keys.map((k) => satchel.redis.exec('get', (r) => r.get(k))))
    expect(values).toEqual(keys.map((_, i) => String(i)))
    const perMaster = await Promise.all(
      cluster.masters.map(async (m) => {
        const direct = new Redis({ host: m.host, port: m.port })
        const size = await direct.dbsize()
        direct.disconnect()
        return size
      }),
    )
    for (const size of perMaster) expect(size).toBeGreaterThan(0)
  })

  it('stores values and deletes keys from several slots in one call', async () => {
    const keys = ['a', 'b', 'c', 'd'].map((p) => satchel.keys.org('org-3').key('v', p))
    expect(new Set(await Promise.all(keys.map(slotOf))).size).toBeGreaterThan(1)
    for (const key of keys) {
      expect((await satchel.values.set(key, { key }, { ttlMs: 60_000 })).stored).toBe(true)
    }
    const read = await satchel.values.get<{ key: string }>(keys[2]!)
    expect(read.hit && read.value.key).toBe(keys[2])
    expect(await satchel.values.delete(...keys)).toBe(4)
    expect(await satchel.values.get(keys[2]!)).toEqual({ hit: false, reason: 'miss' })
  })

  it("keeps a slot group's keys in one slot, so multi-key commands work", async () => {
    const group = satchel.keys.org('org-1').slot('course', 42)
    const keys = [group.key('bundle'), group.key('version'), group.key('lessons', 7)]
    expect(new Set(await Promise.all(keys.map(slotOf))).size).toBe(1)
    await satchel.redis.exec('mset', (r) => r.mset(keys[0]!, 'a', keys[1]!, 'b', keys[2]!, 'c'))
    expect(await satchel.redis.exec('mget', (r) => r.mget(...keys))).toEqual(['a', 'b', 'c'])

    // The same command on ungrouped keys is refused by the server: the grouping is what works.
    const loose = ['bundle', 'version', 'lessons'].map((p) =>
      satchel.keys.org('org-1').key('course', 42, p),
    )
    expect(new Set(await Promise.all(loose.map(slotOf))).size).toBeGreaterThan(1)
    const refused = await satchel.redis
      .exec('mget', (r) => r.mget(...loose))
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(errors.E_REDIS_COMMAND)
  })

  it('bounds commands to a paused master like on a single node', async () => {
    const master = cluster.masters[0]!
    const key = await keyServedBy(satchel, master, 'org-2')
    await master.pause()
    try {
      const r = await timed(satchel.redis.exec('get', (c) => c.get(key)))
      expect(r.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
      expect(r.ms).toBeLessThan(100 + LOADED_MACHINE_SLACK_MS)
    } finally {
      await master.resume()
    }
  })
})
