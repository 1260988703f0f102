import { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../src/core/errors.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'

describe('startRedisCluster', () => {
  let cluster: RedisCluster

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 })
  })

  afterAll(async () => {
    await cluster?.stop()
  })

  it('starts masters × (1 + replicas) nodes, each reporting cluster_state:ok', async () => {
    expect(cluster.nodes).toHaveLength(6)
    expect(cluster.masters).toHaveLength(3)
    expect(cluster.replicas).toHaveLength(3)
    expect(cluster.startupNodes).toEqual(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    )
    for (const node of cluster.nodes) {
      const redis = new Redis(node.url)
      try {
        const info = String(await redis.call('CLUSTER', 'INFO'))
        expect(info).toMatch(/^cluster_state:ok\r?$/m)
        expect(info).toMatch(/^cluster_slots_assigned:16384\r?$/m)
        expect(info).toMatch(/^cluster_known_nodes:6\r?$/m)
      } finally {
        redis.disconnect()
      }
    }
  })

  it('gives each initial master a replica', async () => {
    for (const [i, replica] of cluster.replicas.entries()) {
      const master = cluster.masters[i]
      const redis = new Redis(replica.url)
      try {
        const replication = await redis.info('replication')
        expect(replication).toMatch(/^role:slave\r?$/m)
        expect(replication).toMatch(new RegExp(`^master_port:${master?.port}\\r?$`, 'm'))
        expect(replication).toMatch(/^master_link_status:up\r?$/m)
      } finally {
        redis.disconnect()
      }
    }
  })

  it('stores and reads 100 keys spread over every master', async () => {
    const client = new Cluster(cluster.startupNodes, { redisOptions: cluster.clientOptions })
    try {
      for (let i = 0; i < 100; i++) await client.set(`key:${i}`, `value:${i}`)
      for (let i = 0; i < 100; i++) expect(await client.get(`key:${i}`)).toBe(`value:${i}`)
      const sizes = await Promise.all(client.nodes('master').map((node) => node.dbsize()))
      expect(sizes).toHaveLength(3)
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(100)
      for (const size of sizes) expect(size).toBeGreaterThan(0)
    } finally {
      await client.quit()
    }
  })

  it('fails a killed master over to its replica, and takes the master back as a replica', async () => {
    const master = cluster.masters[0]
    const replica = cluster.replicas[0]
    if (!master || !replica) throw new Error('cluster has no first master/replica')
    await master.kill()
    await cluster.waitUntilHealthy({ timeoutMs: 15_000 })
    const promoted = new Redis(replica.url)
    try {
      expect(await promoted.info('replication')).toMatch(/^role:master\r?$/m)
    } finally {
      promoted.disconnect()
    }

    await master.restart()
    await cluster.waitUntilHealthy({ timeoutMs: 15_000 })
    const rejoined = new Redis(master.url)
    try {
      expect(await rejoined.info('replication')).toMatch(/^role:slave\r?$/m)
    } finally {
      rejoined.disconnect()
    }
  })
})

describe('startRedisCluster options', () => {
  it('rejects impossible shapes before starting anything', async () => {
    await expect(startRedisCluster({ masters: 0 })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(startRedisCluster({ replicas: -1 })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(startRedisCluster({ masters: 1.5 })).rejects.toBeInstanceOf(InvalidOptionError)
  })
})
