import type { AdminTarget } from './admin-client.js'
import { formCluster, type HealthTarget, waitUntilHealthy } from './cluster-topology.js'
import { type ConfigDirective, replicationAuthDirectives } from './redis-config.js'
import {
  type RedisClientOptions,
  type RedisServer,
  type RedisServerOptions,
  resolveBinary,
  resolveCount,
  resolveReadyTimeout,
} from './redis-server.js'
import { ServerGroup } from './server-group.js'
import { generateTlsMaterial, type TlsMaterial } from './tls.js'

/**
 * Options for {@link startRedisCluster}. Authentication, TLS, `args` and `binary` apply to every
 * node, as in {@link RedisServerOptions}.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ masters: 3, replicas: 0, password: 's3cret' })
 * ```
 */
export interface RedisClusterOptions extends RedisServerOptions {
  /**
   * Masters, among which the 16384 slots are split evenly.
   * @default 3
   */
  masters?: number
  /**
   * Replicas per master.
   * @default 1
   */
  replicas?: number
  /**
   * How long each node may take to answer PING, and then how long the cluster may take to form
   * and report healthy.
   * @default 20000
   */
  readyTimeoutMs?: number
}

/**
 * A local Redis Cluster of private `redis-server` processes, started by
 * {@link startRedisCluster}. Every node is a {@link RedisServer} with the same controls, so a
 * test can kill a master and watch its replica take over.
 *
 * @example
 * ```ts
 * import { Cluster } from 'ioredis'
 *
 * const cluster = await startRedisCluster()
 * const client = new Cluster(cluster.startupNodes, { redisOptions: cluster.clientOptions })
 * await client.set('{user:1}:name', 'Ada')
 *
 * await cluster.masters[0]!.kill() // its replica is promoted after the node timeout (2 s)
 * await cluster.waitUntilHealthy()
 * await cluster.stop()
 * ```
 */
export interface RedisCluster {
  /** Every node: the initial masters first, then the replicas. */
  readonly nodes: readonly RedisServer[]
  /** The nodes that started as masters; `masters[i]` owns the i-th share of the slots. */
  readonly masters: readonly RedisServer[]
  /** The nodes that started as replicas; `replicas[i]` follows `masters[i % masters.length]`. */
  readonly replicas: readonly RedisServer[]
  /** Seed addresses for a cluster client, e.g. `new Cluster(cluster.startupNodes)`. */
  readonly startupNodes: { host: string; port: number }[]
  /** Per-node client settings (credentials, CA), e.g. ioredis Cluster's `redisOptions`. */
  readonly clientOptions: RedisClientOptions
  /** The ACL user clients log in as, when the `user` option was given. */
  readonly username?: string
  /** The password clients log in with: the ACL user's when given, else the default user's. */
  readonly password?: string
  /** The CA, server certificate and key (PEM) shared by every node, with `tls: true`. */
  readonly tls?: TlsMaterial
  /** The directory holding one sub-directory per node. */
  readonly dir: string
  /**
   * Waits until every running node reports `cluster_state:ok`, all agree on slot ownership and
   * replica links, and nodes that are not running are marked failed. Use it after killing,
   * pausing or restarting nodes.
   * @throws RedisServerError when the cluster has not settled within `timeoutMs` (default 10000).
   */
  waitUntilHealthy(options?: { timeoutMs?: number }): Promise<void>
  /** Stops every node gracefully and removes the cluster's directory. Idempotent. */
  stop(): Promise<void>
  /** Kills every node with SIGKILL, as a power cut would. `stop()` still cleans up after it. */
  kill(): Promise<void>
}

const DEFAULT_MASTERS = 3
const DEFAULT_REPLICAS = 1
const DEFAULT_CLUSTER_READY_TIMEOUT_MS = 20_000
const DEFAULT_HEALTHY_TIMEOUT_MS = 10_000
// Short enough that failover tests finish quickly; long enough that a busy CI machine does not
// see spurious failovers.
const CLUSTER_NODE_TIMEOUT_MS = 2_000

/**
 * Starts `masters × (1 + replicas)` private `redis-server` processes in cluster mode, joins them
 * into one cluster and resolves once it is healthy: every node reports `cluster_state:ok`, all
 * agree on the slot map, and every replica is in sync with its master. Takes about two seconds,
 * most of it the delay Redis imposes before a new master accepts writes.
 *
 * A single node's `stop()` keeps that node's directory, so its `restart()` rejoins the cluster
 * under the same node id; the cluster's `stop()` removes everything.
 *
 * @throws InvalidOptionError for an invalid option.
 * @throws RedisServerError when a node does not start or the cluster does not form in time.
 * @example
 * ```ts
 * import { Cluster } from 'ioredis'
 * import { startRedisCluster, type RedisCluster } from 'satchel/testing'
 *
 * let cluster: RedisCluster
 * beforeAll(async () => { cluster = await startRedisCluster({ masters: 3, replicas: 1 }) })
 * afterAll(() => cluster.stop())
 *
 * it('spreads keys over the masters', async () => {
 *   const client = new Cluster(cluster.startupNodes, { redisOptions: cluster.clientOptions })
 *   await client.mset('{tag}a', '1', '{tag}b', '2') // one hash tag: one slot
 *   await client.quit()
 * })
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masterCount = resolveCount('masters', options.masters ?? DEFAULT_MASTERS, 1)
  const replicaCount = resolveCount('replicas', options.replicas ?? DEFAULT_REPLICAS, 0)
  const readyTimeoutMs = resolveReadyTimeout(
    options.readyTimeoutMs ?? DEFAULT_CLUSTER_READY_TIMEOUT_MS,
  )
  const binary = resolveBinary(options.binary)
  return ServerGroup.build('satchel-redis-cluster-', async (group) => {
    const tls = options.tls ? await generateTlsMaterial(group.dir) : undefined
    const extra = clusterDirectives(options, tls !== undefined)
    const total = masterCount * (1 + replicaCount)
    const nodes = await group.launch(
      Array.from({ length: total }, (_, i) => ({
        name: `node-${i}`,
        binary,
        password: options.password,
        user: options.user,
        tls,
        extra,
        args: options.args ?? [],
        readyTimeoutMs,
        clusterBus: true,
      })),
    )
    const masters = nodes.slice(0, masterCount)
    const replicas = nodes.slice(masterCount)
    const deadline = Date.now() + readyTimeoutMs
    await formCluster(masters.map(adminTarget), replicas.map(adminTarget), deadline)
    await waitUntilHealthy(() => nodes.map(healthTarget), deadline)
    return new ManagedRedisCluster(group, masters, replicas)
  })
}

function clusterDirectives(options: RedisClusterOptions, tls: boolean): ConfigDirective[] {
  const directives: ConfigDirective[] = [
    ['cluster-enabled', 'yes'],
    // Relative to the node's own directory, which redis-server makes its working directory.
    ['cluster-config-file', 'nodes.conf'],
    ['cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS)],
    // Replicas authenticate to their master like any client.
    ...replicationAuthDirectives(options),
  ]
  // With TLS the plain port is off, so the bus and replication links must use TLS as well.
  if (tls) directives.push(['tls-cluster', 'yes'], ['tls-replication', 'yes'])
  return directives
}

function adminTarget(node: RedisServer): AdminTarget {
  return {
    host: node.host,
    port: node.port,
    username: node.username,
    password: node.password,
    tls: node.tls,
  }
}

function healthTarget(node: RedisServer): HealthTarget {
  return { ...adminTarget(node), running: node.state === 'running' }
}

class ManagedRedisCluster implements RedisCluster {
  readonly nodes: readonly RedisServer[]
  readonly masters: readonly RedisServer[]
  readonly replicas: readonly RedisServer[]
  readonly clientOptions: RedisClientOptions
  readonly username?: string
  readonly password?: string
  readonly tls?: TlsMaterial
  readonly dir: string
  readonly #group: ServerGroup

  constructor(group: ServerGroup, masters: RedisServer[], replicas: RedisServer[]) {
    this.#group = group
    this.dir = group.dir
    this.masters = masters
    this.replicas = replicas
    this.nodes = [...masters, ...replicas]
    const first = this.nodes[0]
    const { host: _host, port: _port, ...clientOptions } = first?.clientOptions ?? {}
    this.clientOptions = clientOptions
    if (first?.username !== undefined) this.username = first.username
    if (first?.password !== undefined) this.password = first.password
    if (first?.tls) this.tls = first.tls
  }

  // A fresh array each time: cluster clients may keep and mutate the list they are given.
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: node.host, port: node.port }))
  }

  waitUntilHealthy(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_HEALTHY_TIMEOUT_MS)
    return waitUntilHealthy(() => this.nodes.map(healthTarget), deadline)
  }

  stop(): Promise<void> {
    return this.#group.stop()
  }

  kill(): Promise<void> {
    return this.#group.kill()
  }
}
