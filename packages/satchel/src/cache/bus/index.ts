/**
 * The cache bus: cross-instance L1 invalidation over Redis pub/sub.
 *
 * After a write the engine publishes what changed (`set`/`delete` with full Redis keys, `tags`,
 * `clear`); every other instance evicts the affected L1 entries. Single node and Sentinel use
 * `PUBLISH`/`SUBSCRIBE`; Cluster uses sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`), see
 * `targets.ts`. Delivery is at most once: a message sent while an instance's subscriber is
 * disconnected (or not yet subscribed) is lost, so once the first subscription is up and after
 * every reconnect the bus calls its `onResync` handlers and the engine clears its L1 (a
 * reconnect also emits `bus:resync`). L1 entries also expire on their own TTL, which
 * bounds staleness if a publish fails.
 *
 * @module
 */
import type { SatchelContext } from '../../core/context.js'
import type { Duration } from '../../core/duration.js'
import { parseDuration } from '../../core/duration.js'
import type { BusMessage, CacheBus } from '../types.js'
import { RedisCacheBus } from './redis-bus.js'

export type { RedisCacheBusStats } from './redis-bus.js'
export { RedisCacheBus } from './redis-bus.js'

/**
 * Options of the cache bus.
 * @example createCacheBus(ctx, { channel: `${ctx.keys.prefix}:c:bus`, healthCheck: '5s' })
 */
export interface CacheBusOptions {
  /** Channel name (full, already prefixed). On Cluster its hash slot picks the shard. */
  channel: string
  /**
   * How often the subscriber PINGs to notice a hung server, a dead link, or a subscription the
   * server dropped (then it reconnects and the engine resyncs). `0` disables.
   * @default 5000
   */
  healthCheck?: Duration
}

/**
 * Creates the cross-instance L1 invalidation bus. Memory-only (no Redis) → a bus that carries
 * nothing. The bus is closed by `satchel.close()` (registered with `ctx.onClose`); closing it
 * earlier is allowed and idempotent.
 *
 * @example
 * ```ts
 * const bus = createCacheBus(ctx, { channel: `${ctx.keys.prefix}:c:bus` })
 * bus.onMessage((message) => evictFromL1(message))
 * bus.onResync(() => l1.clear())
 * bus.publish({ type: 'delete', keys: [key] })
 * ```
 */
export function createCacheBus(ctx: SatchelContext, options: CacheBusOptions): CacheBus {
  if (!ctx.gateway.enabled) return silentBus()
  const healthCheckMs = parseDuration(options.healthCheck ?? 5000, 'cache.bus.healthCheck')
  const bus = new RedisCacheBus(ctx, { channel: options.channel, healthCheckMs })
  ctx.onClose(() => bus.close())
  return bus
}

/** The memory-only bus: one process has no one to tell. */
function silentBus(): CacheBus {
  return {
    publish: (_message: BusMessage) => {},
    onMessage: () => () => {},
    onResync: () => () => {},
    stats: () => ({ published: 0, received: 0, ignoredOwn: 0, resyncs: 0 }),
    close: async () => {},
  }
}
