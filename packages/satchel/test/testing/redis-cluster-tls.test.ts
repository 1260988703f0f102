import { existsSync } from 'node:fs'
import { Cluster } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { startRedisCluster } from '../../src/testing/index.js'

// A file of its own so that it runs alongside the slower failover test instead of after it.
describe('startRedisCluster with authentication and TLS', () => {
  it('protects every node, syncs replicas, and lets a cluster client in with clientOptions', async () => {
    // Replicas must authenticate to their masters over TLS to sync: the health check that
    // startRedisCluster waits for includes every replica's link being up.
    const cluster = await startRedisCluster({
      masters: 3,
      replicas: 1,
      user: { name: 'app', password: 'cluster-secret' },
      password: 'default-secret',
      tls: true,
    })
    try {
      expect(cluster.nodes).toHaveLength(6)
      expect(cluster.clientOptions).toEqual({
        username: 'app',
        password: 'cluster-secret',
        tls: { ca: cluster.tls?.ca },
      })
      for (const node of cluster.nodes) expect(node.url).toMatch(/^rediss:\/\/app:cluster-secret@/)
      const client = new Cluster(cluster.startupNodes, { redisOptions: cluster.clientOptions })
      try {
        await client.mset('{shared}:a', '1', '{shared}:b', '2')
        expect(await client.mget('{shared}:a', '{shared}:b')).toEqual(['1', '2'])
        expect(String(await client.call('ACL', 'WHOAMI'))).toBe('app')
      } finally {
        await client.quit()
      }
    } finally {
      await cluster.stop()
    }
    expect(existsSync(cluster.dir)).toBe(false)
  })
})
