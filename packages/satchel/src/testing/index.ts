/**
 * `satchel/testing`: real, private Redis servers, clusters and Sentinel setups for tests,
 * started in milliseconds and cleaned up however the test process ends. Test against these
 * instead of Redis mocks, which cannot reproduce timeouts, failovers, eviction or script
 * semantics.
 *
 * Needs `redis-server` (7.0 or later) on the PATH or in `REDIS_SERVER_BIN`, and `openssl` for
 * `tls: true`. `startWorkers` / `serveCommands` run several real Node processes against them.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { startRedis } from 'satchel/testing'
 *
 * const server = await startRedis()
 * const redis = new Redis(server.url)
 * // ...
 * redis.disconnect()
 * await server.stop()
 * ```
 *
 * @packageDocumentation
 */

export { RedisServerError } from './errors.js'
export {
  type RedisCluster,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js'
export type { RedisUserCredentials } from './redis-config.js'
export {
  type RedisSentinel,
  type RedisSentinelOptions,
  startRedisSentinel,
} from './redis-sentinel.js'
export {
  type RedisClientOptions,
  type RedisServer,
  type RedisServerOptions,
  type RedisServerState,
  startRedis,
} from './redis-server.js'
export type { TlsMaterial } from './tls.js'
export { serveCommands } from './worker-host.js'
export {
  startWorkers,
  stopWorkers,
  WorkerCallError,
  type WorkerProcess,
} from './worker-processes.js'
