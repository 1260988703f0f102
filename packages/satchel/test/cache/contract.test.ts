import { createSatchel } from '../../src/index.js'
import { startRedis, startRedisCluster } from '../../src/testing/index.js'
import { cacheContractSuite } from './contract-suite.js'

const TIMEOUTS = { commandMs: 500, connectMs: 5000 }

cacheContractSuite('memory-only', async () => ({
  make: (o) => createSatchel({ prefix: 'ct', ...o, redis: undefined }),
  stop: async () => {},
}))

cacheContractSuite('single Redis', async () => {
  const server = await startRedis()
  return {
    make: (o) => createSatchel({ prefix: 'ct', timeouts: TIMEOUTS, ...o, redis: server.url }),
    stop: () => server.stop(),
  }
})

cacheContractSuite('Redis Cluster (3 masters)', async () => {
  const cluster = await startRedisCluster({ masters: 3, replicas: 0 })
  return {
    make: (o) =>
      createSatchel({
        prefix: 'ct',
        timeouts: TIMEOUTS,
        ...o,
        redis: { cluster: { nodes: cluster.startupNodes } },
      }),
    stop: () => cluster.stop(),
  }
})
