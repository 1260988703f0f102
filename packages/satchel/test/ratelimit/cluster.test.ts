import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { ALGORITHMS } from '../../src/ratelimit/index.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'

describe('rate limiter on a Redis Cluster (3 masters)', () => {
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

  it.each(ALGORITHMS)(
    '%s: decides for identifiers spread over every master, each key with a TTL',
    async (algorithm) => {
      const limiter = satchel.rateLimiter({ name: 'cluster', algorithm, limit: 2, window: '1h' })
      const ids = Array.from({ length: 60 }, (_, i) => `user:${i}`)
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(ids.map((id) => limiter.limit(id)))
        for (const r of results) {
          expect(r.reason === undefined || r.reason === 'blocked').toBe(true)
          expect(r.success).toBe(round < 2)
        }
      }
      // Keys landed on every master (the scripts were loaded there on NOSCRIPT), with TTLs.
      const perMaster = await Promise.all(
        cluster.masters.map(async (m) => {
          const direct = new Redis({ host: m.host, port: m.port })
          try {
            const keys = ids.map((id) => limiter.key(id))
            const ttls = await Promise.all(keys.map((k) => direct.pttl(k).catch(() => -3)))
            return ttls.filter((t) => t !== -3 && t !== -2)
          } finally {
            direct.disconnect()
          }
        }),
      )
      for (const ttls of perMaster) {
        expect(ttls.length).toBeGreaterThan(0)
        for (const ttl of ttls) expect(ttl).toBeGreaterThan(0)
      }
      expect(perMaster.flat()).toHaveLength(ids.length)
    },
  )
})
