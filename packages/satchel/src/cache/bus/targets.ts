/**
 * Where the bus subscriber connects, per deployment.
 *
 * - Single node and Sentinel: a `duplicate()` of the gateway's client (same URL, credentials,
 *   TLS and Sentinel settings), using `SUBSCRIBE`/`PUBLISH`.
 * - Cluster: sharded pub/sub (`SSUBSCRIBE`/`SPUBLISH`, Redis 7). A sharded message stays inside
 *   the shard that owns the channel's slot instead of being broadcast over the cluster bus to
 *   every node, so bus traffic does not grow with the number of masters. The subscriber is a
 *   plain connection to the master that owns the channel's slot, resolved from a fresh slot map.
 *
 * Why not ioredis's own `Cluster({ shardedSubscribers: true })` (ioredis 5.11): its subscriber
 * group re-subscribes after a topology change but swallows a failed re-`SSUBSCRIBE` (only a
 * debug line), and exposes no signal for "the subscription was lost and is back", which the
 * bus needs to tell the engine to clear L1. With one channel a single connection suffices, and
 * owning it makes loss, MOVED and recovery explicit (`subscriber.ts`).
 *
 * @module
 */
import { type Cluster, Redis, type RedisOptions } from 'ioredis'
import { isClusterClient, type RedisClient } from '../../core/client-factory.js'
import { settleWithin } from '../../core/settle-within.js'

/**
 * Opens connections for the bus subscriber.
 * @example
 * ```ts
 * const target = subscriberTarget(gateway.client, channel, () => gateway.connection!.ready(), 1000)
 * const connection = await target.open()
 * ```
 */
export interface SubscriberTarget {
  /** True on Cluster: use `SSUBSCRIBE`/`SPUBLISH`. */
  readonly sharded: boolean
  /** A new, not yet connected connection to the node that serves the channel. */
  open(): Promise<Redis>
}

/**
 * The subscriber reconnects itself (re-resolving the slot owner on Cluster) and subscribes
 * again by hand, so it knows when the subscription is back and can request a resync; ioredis's
 * own reconnect and auto-resubscribe would hide both.
 */
const SUBSCRIBER_OPTIONS: RedisOptions = {
  lazyConnect: true,
  retryStrategy: () => null,
  autoResubscribe: false,
  autoResendUnfulfilledCommands: false,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
}

/**
 * Chooses how the bus subscribes for the gateway's client.
 * @param ready - resolves once the gateway's client is connected (Cluster: slot map known).
 * @example const target = subscriberTarget(client, 'app:c:bus', () => connection.ready(), 1000)
 */
export function subscriberTarget(
  client: RedisClient,
  channel: string,
  ready: () => Promise<void>,
  connectMs: number,
): SubscriberTarget {
  if (isClusterClient(client)) return clusterTarget(client, channel, ready, connectMs)
  return { sharded: false, open: async () => client.duplicate(SUBSCRIBER_OPTIONS) }
}

function clusterTarget(
  cluster: Cluster,
  channel: string,
  ready: () => Promise<void>,
  connectMs: number,
): SubscriberTarget {
  let slot: number | undefined
  return {
    sharded: true,
    async open() {
      await ready()
      // Asked once, of the server itself, rather than re-implementing CRC16 here.
      slot ??= await settleWithin(cluster.cluster('KEYSLOT', channel), connectMs)
      // A fresh map: after a failover the cached one may still name the dead master.
      await settleWithin(
        new Promise<void>((resolve, reject) =>
          cluster.refreshSlotsCache((error) => (error ? reject(error) : resolve())),
        ),
        connectMs,
      )
      // ioredis's slot map holds master-first addresses, already translated by `natMap`.
      const owner = cluster.slots[slot]?.[0]
      if (!owner) throw new Error(`no Cluster node serves slot ${slot} of the bus channel`)
      const colon = owner.lastIndexOf(':')
      const host = owner.slice(0, colon)
      const port = Number(owner.slice(colon + 1))
      // redisOptions carries credentials and TLS exactly as the gateway's node connections use.
      return new Redis({ ...cluster.options.redisOptions, host, port, ...SUBSCRIBER_OPTIONS })
    },
  }
}
