import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'
import { keyServedBy, LOADED_MACHINE_SLACK_MS, timed, waitFor } from '../helpers.js'

describe('satchel through a Redis Cluster failover', () => {
  let cluster: RedisCluster
  let satchel: Satchel

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 })
    satchel = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      timeouts: { commandMs: 100, connectMs: 1000 },
      breaker: { failureThreshold: 3, probeIntervalMs: 200 },
      reconnect: { baseMs: 20, capMs: 200 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await cluster?.stop()
  })

  it('fails open quickly while a master is down and serves again after its replica takes over', async () => {
    const master = cluster.masters[0]!
    const key = await keyServedBy(satchel, master, 'org-f')
    await satchel.redis.exec('set', (r) => r.set(key, 'before'))
    // The replica must hold the key before its master dies, or the failover would lose it;
    // replication is asynchronous, so wait for it (bounded).
    const replicated = async (): Promise<boolean> => {
      const found = await Promise.all(
        cluster.replicas.map(async (node) => {
          const direct = new Redis({ host: node.host, port: node.port })
          try {
            await direct.call('READONLY')
            return (await direct.get(key)) === 'before'
          } catch {
            return false
          } finally {
            direct.disconnect()
          }
        }),
      )
      return found.some(Boolean)
    }
    await waitFor(replicated, 2000, 20)

    await master.kill()
    // During the outage every call answers from its fallback, never slower than a command
    // bound (or at once, once the breaker is open).
    for (let i = 0; i < 20; i++) {
      const r = await timed(
        satchel.redis.failOpen(
          'get',
          (c) => c.get(key),
          () => 'fallback',
        ),
      )
      expect(r.ms).toBeLessThan(100 + LOADED_MACHINE_SLACK_MS)
      if (r.value !== 'fallback') expect(r.value).toBe('before')
    }

    // Redis promotes the replica after cluster-node-timeout (2 s); satchel follows on its own.
    const deadline = Date.now() + 15_000
    let value: string | null | undefined
    while (Date.now() < deadline) {
      value = await satchel.redis.failOpen(
        'get',
        (c) => c.get(key),
        () => undefined,
      )
      if (value !== undefined) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(value).toBe('before')
    await expect(satchel.redis.exec('set', (r) => r.set(key, 'after'))).resolves.toBe('OK')
    expect(await satchel.redis.exec('get', (r) => r.get(key))).toBe('after')
  }, 30_000)
})
