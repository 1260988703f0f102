import { Cluster, Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createCacheBus,
  RedisCacheBus,
  type RedisCacheBusStats,
} from '../../src/cache/bus/index.js'
import type { BusMessage, CacheBus } from '../../src/cache/types.js'
import { createClient } from '../../src/core/client-factory.js'
import { createCodec } from '../../src/core/codec.js'
import type { SatchelContext } from '../../src/core/context.js'
import { SatchelEvents } from '../../src/core/events.js'
import { parseFlags } from '../../src/core/flags.js'
import { createKeyBuilder } from '../../src/core/keys.js'
import { type RedisInput, resolveCoreOptions } from '../../src/core/options.js'
import { RedisGateway } from '../../src/core/redis-gateway.js'
import { ValueStore } from '../../src/core/value-store.js'
import {
  type RedisCluster,
  type RedisSentinel,
  type RedisServer,
  startRedis,
  startRedisCluster,
  startRedisSentinel,
} from '../../src/testing/index.js'
import { memoryLogger, waitFor } from '../helpers.js'

const CHANNEL = 'bt:c:bus'
const COMMAND_MS = 50

/** A satchel context like `createSatchel` builds, so the bus is tested on its own. */
function busContext(redis: RedisInput | undefined) {
  const logger = memoryLogger()
  const options = resolveCoreOptions({
    redis,
    prefix: 'bt',
    timeouts: { commandMs: COMMAND_MS, connectMs: 500 },
    reconnect: { baseMs: 20, capMs: 200 },
    breaker: { failureThreshold: 1000 },
    logger,
  })
  const events = new SatchelEvents()
  const gateway = new RedisGateway(createClient(redis, options), options, events)
  const codec = createCodec()
  const cleanups: (() => void | Promise<void>)[] = []
  const ctx: SatchelContext = {
    gateway,
    keys: createKeyBuilder({ prefix: 'bt' }),
    codec,
    values: new ValueStore(gateway, codec, events),
    events,
    logger,
    flags: parseFlags(undefined),
    options,
    onClose: (cleanup) => {
      cleanups.push(cleanup)
    },
  }
  return {
    ctx,
    logger,
    async close() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
      await gateway.close(200)
    },
  }
}

interface Node {
  bus: RedisCacheBus
  logger: ReturnType<typeof memoryLogger>
  received: BusMessage[]
  resyncs: number
  ctx: SatchelContext
  close(): Promise<void>
}

const open: Node[] = []

async function node(redis: RedisInput, healthCheck: number | undefined = undefined): Promise<Node> {
  const built = busContext(redis)
  const bus = createCacheBus(built.ctx, { channel: CHANNEL, healthCheck })
  if (!(bus instanceof RedisCacheBus)) throw new Error('expected the Redis bus')
  const n: Node = {
    bus,
    logger: built.logger,
    received: [],
    resyncs: 0,
    ctx: built.ctx,
    close: built.close,
  }
  bus.onMessage((m) => n.received.push(m))
  bus.onResync(() => n.resyncs++)
  open.push(n)
  await waitFor(() => stats(bus).subscribed, 5000)
  return n
}

function stats(bus: CacheBus): RedisCacheBusStats {
  return bus.stats() as RedisCacheBusStats
}

const MESSAGES: BusMessage[] = [
  { type: 'set', keys: ['bt:o:1:a', 'bt:o:1:b'] },
  { type: 'delete', keys: ['bt:o:1:a'] },
  { type: 'tags', tags: ['course:7', 'org:1'], at: 1_700_000_000_123 },
  { type: 'clear', prefixes: ['bt:ns:bundles:'] },
]

afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()))
})

/** The same guarantees on a single node and on a Cluster (sharded pub/sub). */
function busSuite(
  name: string,
  setup: () => {
    redis: () => RedisInput
    /** A raw client that publishes on the bus channel the way the deployment needs. */
    rawPublish: (payload: Buffer | string) => Promise<unknown>
    /** The server the subscriber of `bus` is connected to. */
    serverOf: (bus: RedisCacheBus) => RedisServer
  },
) {
  describe(name, () => {
    const env = setup()

    it('delivers all four message types to the other instance and ignores its own', async () => {
      const a = await node(env.redis())
      const b = await node(env.redis())
      for (const m of MESSAGES) a.bus.publish(m)
      await waitFor(() => b.received.length === MESSAGES.length, 2000)
      expect(b.received).toEqual(MESSAGES)
      await waitFor(() => stats(a.bus).ignoredOwn === MESSAGES.length, 2000)
      expect(a.received).toEqual([])
      expect(stats(a.bus)).toMatchObject({ published: 4, received: 0, publishFailures: 0 })
      expect(stats(b.bus)).toMatchObject({ received: 4, ignoredOwn: 0, malformed: 0 })
      // The other direction too.
      b.bus.publish({ type: 'delete', keys: ['bt:o:2:x'] })
      await waitFor(() => a.received.length === 1, 2000)
      expect(a.received[0]).toEqual({ type: 'delete', keys: ['bt:o:2:x'] })
    })

    it('receives messages published by another client on the channel', async () => {
      const b = await node(env.redis())
      const codec = createCodec()
      await env.rawPublish(codec.encode(['someone-else', 2, ['bt:o:9:k']]))
      await waitFor(() => b.received.length === 1, 2000)
      expect(b.received[0]).toEqual({ type: 'delete', keys: ['bt:o:9:k'] })
    })

    it('ignores and counts malformed payloads, and keeps working', async () => {
      const b = await node(env.redis())
      const codec = createCodec()
      const bad = [
        'not a satchel payload',
        codec.encode({ type: 'delete', keys: ['k'] }), // an object, not an envelope
        codec.encode(['sender', 99, ['k']]), // unknown type code
        codec.encode(['sender', 2, [1, 2]]), // keys that are not strings
        codec.encode(['sender', 3, ['t']]), // tags without a time
        codec.encode(['', 2, ['k']]), // no sender
        Buffer.from([0x80, 0xff, 0xff]), // satchel header, corrupt body
      ]
      for (const payload of bad) await env.rawPublish(payload)
      await env.rawPublish(codec.encode(['sender', 4, ['bt:ns:x:']]))
      await waitFor(() => b.received.length === 1, 2000)
      expect(b.received).toEqual([{ type: 'clear', prefixes: ['bt:ns:x:'] }])
      expect(stats(b.bus).malformed).toBe(bad.length)
    })

    it('runs the resync handlers on the first subscription, and resyncs after a reconnect', async () => {
      const events: unknown[] = []
      const a = await node(env.redis())
      a.ctx.events.on('bus:resync', (e) => events.push(e))
      // The first subscription runs the handlers (L1 filled before it may have missed messages)
      // but is not counted or announced as a resync.
      await new Promise((r) => setTimeout(r, 100))
      expect(a.resyncs).toBe(1)
      expect(stats(a.bus).resyncs).toBe(0)
      expect(events).toEqual([])

      const server = env.serverOf(a.bus)
      await server.restart()
      await waitFor(() => a.resyncs === 2, 8000)
      expect(stats(a.bus)).toMatchObject({ resyncs: 1, subscribed: true })
      expect(events).toEqual([{ channel: CHANNEL, at: expect.any(Number) }])

      // Messages flow again after the resync.
      const b = await node(env.redis())
      b.bus.publish({ type: 'delete', keys: ['after'] })
      await waitFor(() => a.received.length === 1, 3000)
      expect(a.received[0]).toEqual({ type: 'delete', keys: ['after'] })
    })

    it('publishes without blocking or throwing while Redis is paused (SIGSTOP)', async () => {
      const a = await node(env.redis())
      const b = await node(env.redis())
      const server = env.serverOf(a.bus)
      await server.pause()
      try {
        const start = performance.now()
        expect(() => {
          for (let i = 0; i < 100; i++) a.bus.publish({ type: 'delete', keys: [`k${i}`] })
        }).not.toThrow()
        const elapsed = performance.now() - start
        // publish() only encodes and hands the command to the gateway: it returns at once.
        expect(elapsed).toBeLessThan(COMMAND_MS)
        // Each publish fails on its own deadline and is counted, never thrown.
        await waitFor(() => stats(a.bus).publishFailures === 100, 2000)
        expect(stats(a.bus).published).toBe(0)
        // Logged, but throttled: one line for the burst, not a hundred.
        const lines = a.logger.lines.filter((l) => l.msg?.startsWith('cache bus publish failed'))
        expect(lines).toHaveLength(1)
      } finally {
        await server.resume()
      }
      // The bus recovers (the subscribers may have resynced meanwhile).
      await waitFor(() => stats(b.bus).subscribed && stats(a.bus).subscribed, 8000)
      a.bus.publish({ type: 'delete', keys: ['after-pause'] })
      await waitFor(
        () => b.received.some((m) => m.type === 'delete' && m.keys[0] === 'after-pause'),
        3000,
      )
    })

    it('health PINGs keep a healthy subscription and drop a hung one', async () => {
      const a = await node(env.redis(), 50)
      // Healthy: several PINGs answered in subscribe mode, no reconnect.
      await new Promise((r) => setTimeout(r, 300))
      expect(stats(a.bus)).toMatchObject({ resyncs: 0, subscribed: true })
      const server = env.serverOf(a.bus)
      await server.pause()
      try {
        // Unanswered PING (bounded by connectMs, 500 ms): the subscription is given up.
        await waitFor(() => !stats(a.bus).subscribed, 3000)
      } finally {
        await server.resume()
      }
      await waitFor(() => a.resyncs === 2, 8000)
      expect(
        a.logger.lines.some((l) => (l.obj as { stage?: string }).stage === 'health-check'),
      ).toBe(true)
    })

    it('close() unsubscribes and leaves no connection or timer behind', async () => {
      const before = tcpHandles()
      const a = await node(env.redis(), 50)
      const connection = a.bus.subscriberConnection
      expect(connection?.status).toBe('ready')
      await a.bus.close()
      expect(connection?.status).toBe('end')
      expect(stats(a.bus).subscribed).toBe(false)
      await a.bus.close() // idempotent
      a.bus.publish({ type: 'delete', keys: ['ignored'] }) // a no-op, not a throw
      await a.close()
      open.splice(open.indexOf(a), 1)
      // The health-check timer (50 ms) would reconnect or log if it were still armed.
      await new Promise((r) => setTimeout(r, 150))
      expect(connection?.status).toBe('end')
      expect(tcpHandles()).toBeLessThanOrEqual(before)
    })
  })
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length
}

let server: RedisServer
let publisher: Redis
busSuite('cache bus on a single node (PUBLISH/SUBSCRIBE)', () => ({
  redis: () => server.url,
  rawPublish: (payload) => publisher.publish(CHANNEL, payload),
  serverOf: () => server,
}))

let cluster: RedisCluster
let clusterPublisher: Cluster
busSuite('cache bus on a 3-master Cluster (SPUBLISH/SSUBSCRIBE)', () => ({
  redis: () => ({ cluster: { nodes: cluster.startupNodes } }),
  rawPublish: (payload) => clusterPublisher.spublish(CHANNEL, payload),
  serverOf: (bus) => {
    const port = bus.subscriberConnection?.options.port
    const owner = cluster.masters.find((m) => m.port === port)
    if (!owner) throw new Error(`the subscriber is not connected to a master (port ${port})`)
    return owner
  },
}))

beforeAll(async () => {
  ;[server, cluster] = await Promise.all([
    startRedis(),
    startRedisCluster({ masters: 3, replicas: 0 }),
  ])
  publisher = new Redis(server.url)
  clusterPublisher = new Cluster(cluster.startupNodes)
  // The servers are restarted and paused below; these clients reconnect on their own.
  publisher.on('error', () => {})
  clusterPublisher.on('error', () => {})
}, 30_000)

afterAll(async () => {
  publisher?.disconnect()
  clusterPublisher?.disconnect()
  await Promise.all([server?.stop(), cluster?.stop()])
})

describe('cache bus without Redis', () => {
  it('carries nothing and never throws in memory-only mode', async () => {
    const built = busContext(undefined)
    const bus = createCacheBus(built.ctx, { channel: CHANNEL })
    expect(bus).not.toBeInstanceOf(RedisCacheBus)
    const seen: BusMessage[] = []
    bus.onMessage((m) => seen.push(m))
    expect(() => bus.publish({ type: 'delete', keys: ['k'] })).not.toThrow()
    expect(bus.stats()).toEqual({ published: 0, received: 0, ignoredOwn: 0, resyncs: 0 })
    await bus.close()
    await built.close()
    expect(seen).toEqual([])
  })
})

describe('SSUBSCRIBE routing', () => {
  it('subscribes on the master that owns the channel slot', async () => {
    const a = await node({ cluster: { nodes: cluster.startupNodes } })
    const admin = new Redis(cluster.masters[0]!.port, cluster.masters[0]!.host)
    try {
      const slot = await admin.cluster('KEYSLOT', CHANNEL)
      const ranges = await admin.cluster('SLOTS')
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to)
      expect(a.bus.subscriberConnection?.options.port).toBe(owner?.[2]?.[1])
    } finally {
      admin.disconnect()
    }
  })
})

describe('cache bus through a Cluster failover', () => {
  let failover: RedisCluster

  beforeAll(async () => {
    failover = await startRedisCluster({ masters: 3, replicas: 1 })
  }, 30_000)
  afterAll(async () => {
    await failover?.stop()
  })

  it('re-resolves the channel owner after its master dies, resyncs, and delivers again', async () => {
    const redis = { cluster: { nodes: failover.startupNodes } }
    const a = await node(redis)
    const b = await node(redis)
    const port = a.bus.subscriberConnection?.options.port
    const owner = failover.masters.find((m) => m.port === port)
    if (!owner) throw new Error(`the subscriber is not connected to a master (port ${port})`)

    await owner.kill()
    // Publishing during the outage neither throws nor blocks.
    expect(() => b.bus.publish({ type: 'delete', keys: ['during'] })).not.toThrow()
    // The replica is promoted after cluster-node-timeout (2 s); both subscribers follow.
    await waitFor(() => a.resyncs === 2 && b.resyncs === 2, 15_000, 50)
    const promoted = a.bus.subscriberConnection?.options.port
    expect(promoted).not.toBe(port)
    expect(failover.replicas.map((r) => r.port)).toContain(promoted)

    b.bus.publish({ type: 'delete', keys: ['after-failover'] })
    await waitFor(
      () => a.received.some((m) => m.type === 'delete' && m.keys[0] === 'after-failover'),
      5000,
    )
  }, 30_000)
})

describe('cache bus through Sentinel', () => {
  let sentinel: RedisSentinel

  beforeAll(async () => {
    sentinel = await startRedisSentinel()
  }, 30_000)
  afterAll(async () => {
    await sentinel?.stop()
  })

  it('subscribes on the master the sentinel names and exchanges messages', async () => {
    const redis = { sentinels: sentinel.sentinelAddresses, name: sentinel.name }
    const a = await node(redis)
    const b = await node(redis)
    expect(a.bus.subscriberConnection?.options.sentinels).toEqual(sentinel.sentinelAddresses)
    a.bus.publish(MESSAGES[1]!)
    await waitFor(() => b.received.length === 1, 2000)
    expect(b.received).toEqual([MESSAGES[1]])
    await waitFor(() => stats(a.bus).ignoredOwn === 1, 2000)
  })
})
