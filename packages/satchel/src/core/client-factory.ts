import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis'
import { fullJitterBackoff } from './backoff.js'
import { InvalidOptionError } from './errors.js'
import type { ClusterInput, RedisInput, ResolvedCoreOptions } from './options.js'

/** A Redis client satchel talks to: a single node (incl. Sentinel-managed) or a Cluster. */
export type RedisClient = Redis | Cluster

/** The client plus whether satchel created it (and so may close it). */
export interface ClientHandle {
  client: RedisClient
  /** satchel created the client and closes it in `close()`; a caller's instance is left open. */
  owned: boolean
  kind: 'single' | 'cluster' | 'sentinel'
}

/** How long a disconnect waits for the server to close the socket before destroying it. */
export const DISCONNECT_GRACE_MS = 200

/**
 * The safety options satchel imposes on every connection it creates. They are the failure policy
 * (docs/architecture.md) in ioredis terms: nothing queues while disconnected, nothing is silently resent
 * after a reconnect (an INCR must not run twice), and reconnects back off with full jitter.
 */
function safetyOptions(o: ResolvedCoreOptions): RedisOptions {
  const retry = fullJitterBackoff({ baseMs: o.reconnectBaseMs, capMs: o.reconnectCapMs })
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // 0: commands in flight when the socket drops fail at once instead of waiting for a reconnect.
    maxRetriesPerRequest: 0,
    connectTimeout: o.connectMs,
    // After QUIT a healthy server closes at once; a hung one never does, and ioredis's 2 s
    // default would keep the process alive that long after close().
    disconnectTimeout: DISCONNECT_GRACE_MS,
    // No ioredis commandTimeout: the gateway bounds every command itself (the same deadline also
    // covers Cluster redirections and caller-supplied clients), and a second timer per command
    // would only cost throughput.
    retryStrategy: (attempt: number) => retry(attempt),
    enableReadyCheck: true,
    // No ioredis autopipelining, although the socket write dominates a 64-caller GET profile:
    // in ioredis 5 it drops the first argument of `call`/`callBuffer` (EVAL via callBuffer
    // breaks), defers a lone command to setImmediate, and on Cluster turns a CROSSSLOT reply
    // into a client-side error that looks like an outage. The cache batches its own reads.
  }
}

/**
 * A caller's ioredis client, recognised by shape rather than `instanceof`: when the application
 * and satchel resolve different copies of ioredis (two versions in one tree, or a bundled copy),
 * the caller's client is not an instance of satchel's classes. ioredis 5 sets `isCluster` on
 * both classes; `sendCommand` and `duplicate` rule out plain option objects.
 */
export function isRedisClient(input: unknown): input is RedisClient {
  if (typeof input !== 'object' || input === null) return false
  const c = input as Partial<Record<'isCluster' | 'sendCommand' | 'duplicate', unknown>>
  return (
    typeof c.isCluster === 'boolean' &&
    typeof c.sendCommand === 'function' &&
    typeof c.duplicate === 'function'
  )
}

/**
 * Whether a client is a Cluster, by its `isCluster` flag rather than `instanceof Cluster`, for the
 * same reason as {@link isRedisClient}: a caller's Cluster from another copy of ioredis is not an
 * instance of satchel's class, and taking it for a single node would send multi-slot commands.
 */
export function isClusterClient(client: RedisClient): client is Cluster {
  return client.isCluster === true
}

function isClusterInput(input: object): input is ClusterInput {
  return 'cluster' in input && typeof (input as ClusterInput).cluster === 'object'
}

function withTls(base: RedisOptions, tls: ResolvedCoreOptions['tls']): RedisOptions {
  return tls && !base.tls ? { ...base, tls } : base
}

function parseClusterNode(node: string | ClusterNode, index: number): ClusterNode {
  if (typeof node !== 'string') return node
  try {
    const url = new URL(node)
    return { host: url.hostname, port: Number(url.port || 6379) }
  } catch (cause) {
    throw new InvalidOptionError(`redis.cluster.nodes[${index}]`, `not a URL: ${node}`, { cause })
  }
}

/**
 * Builds (or adopts) the ioredis client for a {@link RedisInput}.
 * @returns undefined for memory-only mode.
 */
export function createClient(
  input: RedisInput | undefined,
  options: ResolvedCoreOptions,
): ClientHandle | undefined {
  if (input === undefined || input === '') return undefined
  if (isRedisClient(input)) {
    return { client: input, owned: false, kind: input.isCluster ? 'cluster' : 'single' }
  }

  const safety = safetyOptions(options)
  if (typeof input === 'string') {
    if (!/^rediss?:\/\//i.test(input)) {
      throw new InvalidOptionError('redis', 'a URL must start with redis:// or rediss://')
    }
    // rediss:// makes ioredis turn TLS on by itself; REDIS_TLS_ENABLED adds it for redis://.
    const client = new Redis(input, withTls(safety, options.tls))
    return { client, owned: true, kind: 'single' }
  }
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError(
      'redis',
      'expected a URL, ioredis options, { cluster } or a client',
    )
  }
  if (isClusterInput(input)) {
    const nodes = input.cluster.nodes.map(parseClusterNode)
    if (nodes.length === 0) {
      throw new InvalidOptionError('redis.cluster.nodes', 'needs at least one startup node')
    }
    const user = input.cluster.options ?? {}
    const client = new Cluster(nodes, {
      ...user,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      slotsRefreshTimeout: options.connectMs,
      clusterRetryStrategy: (attempt: number) =>
        fullJitterBackoff({ baseMs: options.reconnectBaseMs, capMs: options.reconnectCapMs })(
          attempt,
        ),
      redisOptions: withTls({ ...user.redisOptions, ...safety }, options.tls),
    })
    return { client, owned: true, kind: 'cluster' }
  }
  const redisOptions = input as RedisOptions
  const client = new Redis(withTls({ ...redisOptions, ...safety }, options.tls))
  return { client, owned: true, kind: redisOptions.sentinels ? 'sentinel' : 'single' }
}
