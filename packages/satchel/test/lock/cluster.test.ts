import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { lockTarget } from '../../src/lock/keys.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'

describe('locks on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster
  let satchel: Satchel

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 0 })
    satchel = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      prefix: 'campus',
      timeouts: { commandMs: 500, connectMs: 2000 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await cluster?.stop()
  })

  it('runs the two-key acquire script on every master (lock and fence keys share a slot)', async () => {
    const resources = Array.from({ length: 30 }, (_, i) => `login-link:${i}`)
    const slotOf = (key: string) => satchel.redis.exec('keyslot', (r) => r.cluster('KEYSLOT', key))
    for (const resource of resources) {
      const t = lockTarget('campus', resource)
      expect(await slotOf(t.fenceKey)).toBe(await slotOf(t.key))
    }
    const first = await Promise.all(resources.map((r) => satchel.locks.acquire(r)))
    await Promise.all(first.map((l) => l.release()))
    const second = await Promise.all(resources.map((r) => satchel.locks.acquire(r)))
    for (const [i, lock] of second.entries()) expect(lock.fence).toBeGreaterThan(first[i]!.fence)
    // Spread over the masters: each one holds some of the locks.
    for (const m of cluster.masters) {
      const direct = new Redis({ host: m.host, port: m.port })
      const held = await direct.dbsize()
      direct.disconnect()
      expect(held).toBeGreaterThan(0)
    }
    expect((await Promise.all(second.map((l) => l.release()))).every(Boolean)).toBe(true)
  })
})
