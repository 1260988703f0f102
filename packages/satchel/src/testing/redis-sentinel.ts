import { InvalidOptionError } from '../core/errors.js'
import { RedisServerError } from './errors.js'
import { LOOPBACK } from './ports.js'
import { type ConfigDirective, replicationAuthDirectives } from './redis-config.js'
import {
  type RedisClientOptions,
  type RedisServer,
  type RedisServerOptions,
  resolveBinary,
  resolveCount,
  resolveReadyTimeout,
} from './redis-server.js'
import { readMasterAddress, waitForReplication, waitForSentinels } from './sentinel-topology.js'
import { type MemberConfig, ServerGroup } from './server-group.js'

/**
 * Options for {@link startRedisSentinel}. `password`, `user`, `args` and `binary` apply to the
 * master and replicas as in {@link RedisServerOptions}; the sentinels use the same binary,
 * require no password and log in to the data nodes with the same credentials. TLS is not
 * supported.
 *
 * @example
 * ```ts
 * const sentinel = await startRedisSentinel({ replicas: 1, sentinels: 3, password: 's3cret' })
 * ```
 */
export interface RedisSentinelOptions extends Omit<RedisServerOptions, 'tls'> {
  /**
   * The name the sentinels monitor the master under; clients ask for it by this name.
   * @default 'mymaster'
   */
  name?: string
  /**
   * Replicas of the master. With none there is nothing to fail over to.
   * @default 0
   */
  replicas?: number
  /**
   * Sentinel processes. The quorum is always 1, so any one of them may declare the master down.
   * @default 1
   */
  sentinels?: number
  /**
   * How long the master may go unanswered before a sentinel considers it down. A test that
   * pauses the master for longer triggers a failover when there is a replica.
   * @default 1000
   */
  downAfterMs?: number
  /** Sentinel's `failover-timeout`: how long a failover may take before it is retried. @default 3000 */
  failoverTimeoutMs?: number
  /**
   * How long each process may take to answer PING, and then how long replication and the
   * sentinels may take to settle.
   * @default 20000
   */
  readyTimeoutMs?: number
}

/**
 * A master, its replicas and the sentinels monitoring them, started by
 * {@link startRedisSentinel}. Every process is a {@link RedisServer} with the same controls, so a
 * test can kill the master and watch a sentinel promote a replica.
 *
 * @example
 * ```ts
 * const sentinel = await startRedisSentinel({ replicas: 1 })
 * const redis = new Redis({ sentinels: sentinel.sentinelAddresses, name: sentinel.name })
 * await sentinel.master.kill()
 * await sentinel.waitForMaster(sentinel.replicas[0]!) // promoted after about 2 s
 * await sentinel.stop()
 * ```
 */
export interface RedisSentinel {
  /** The name the master is monitored under (`name` in ioredis's Sentinel options). */
  readonly name: string
  /** The server started as master. After a failover it may be a replica, or down. */
  readonly master: RedisServer
  /** The servers started as replicas of {@link RedisSentinel.master}. */
  readonly replicas: readonly RedisServer[]
  /**
   * The sentinel processes. They answer `SENTINEL` commands without a password; `stop()`,
   * `kill()`, `pause()` and `resume()` work as on any server, and `restart()` keeps what the
   * sentinel has learnt (its config file, which Sentinel rewrites itself).
   */
  readonly sentinels: readonly RedisServer[]
  /** Sentinel addresses for a client, e.g. `new Redis({ sentinels: sentinelAddresses, name })`. */
  readonly sentinelAddresses: { host: string; port: number }[]
  /** Client settings for the master and replicas (credentials), without host and port. */
  readonly clientOptions: RedisClientOptions
  /** The directory holding one sub-directory per process. */
  readonly dir: string
  /**
   * The master's address as the first answering sentinel reports it.
   * @throws RedisServerError when no sentinel answers.
   */
  masterAddress(): Promise<{ host: string; port: number }>
  /**
   * Waits until every running sentinel reports `server` as the master, e.g. after killing the
   * master to see a replica promoted.
   * @throws RedisServerError when that has not happened within `timeoutMs` (default 10000).
   */
  waitForMaster(server: RedisServer, options?: { timeoutMs?: number }): Promise<void>
  /** Stops every process gracefully and removes the directory. Idempotent. */
  stop(): Promise<void>
  /** Kills every process with SIGKILL. `stop()` still cleans up after it. */
  kill(): Promise<void>
}

const DEFAULT_NAME = 'mymaster'
const DEFAULT_REPLICAS = 0
const DEFAULT_SENTINELS = 1
// Short, so a failover test takes seconds: down after 1 s, then about a second to promote.
const DEFAULT_DOWN_AFTER_MS = 1_000
const DEFAULT_FAILOVER_TIMEOUT_MS = 3_000
const DEFAULT_SENTINEL_READY_TIMEOUT_MS = 20_000
const DEFAULT_WAIT_FOR_MASTER_MS = 10_000

/**
 * Starts a private master, `replicas` replicas of it and `sentinels` Sentinel processes
 * (`redis-server <config> --sentinel`) monitoring it under `name` with a quorum of 1, and
 * resolves once every replica is in sync and every sentinel reports the master, lists the
 * replicas and knows the other sentinels. Takes about 0.1 s with one sentinel; with more, their
 * discovery of each other (hello messages every two seconds) adds about two seconds.
 *
 * Cleaned up when the test process exits, like {@link startRedis}; call `stop()` to free it early.
 *
 * @throws InvalidOptionError for an invalid option.
 * @throws RedisServerError when a process does not start or the sentinels do not settle in time.
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { type RedisSentinel, startRedisSentinel } from 'satchel/testing'
 *
 * let sentinel: RedisSentinel
 * beforeAll(async () => { sentinel = await startRedisSentinel() })
 * afterAll(() => sentinel.stop())
 *
 * it('connects through Sentinel', async () => {
 *   const redis = new Redis({ sentinels: sentinel.sentinelAddresses, name: sentinel.name })
 *   await redis.set('k', 'v')
 *   redis.disconnect()
 * })
 * ```
 */
export async function startRedisSentinel(
  options: RedisSentinelOptions = {},
): Promise<RedisSentinel> {
  if ((options as RedisServerOptions).tls) {
    throw new InvalidOptionError('tls', 'not supported for Sentinel deployments')
  }
  const name = resolveName(options.name ?? DEFAULT_NAME)
  const replicaCount = resolveCount('replicas', options.replicas ?? DEFAULT_REPLICAS, 0)
  const sentinelCount = resolveCount('sentinels', options.sentinels ?? DEFAULT_SENTINELS, 1)
  const downAfterMs = resolveCount('downAfterMs', options.downAfterMs ?? DEFAULT_DOWN_AFTER_MS, 1)
  const failoverTimeoutMs = resolveCount(
    'failoverTimeoutMs',
    options.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
    1,
  )
  const readyTimeoutMs = resolveReadyTimeout(
    options.readyTimeoutMs ?? DEFAULT_SENTINEL_READY_TIMEOUT_MS,
  )
  const base = { binary: resolveBinary(options.binary), readyTimeoutMs, clusterBus: false }
  const dataNode = (nodeName: string, extra: ConfigDirective[]): MemberConfig => ({
    ...base,
    name: nodeName,
    password: options.password,
    user: options.user,
    // Any data node may become a replica after a failover, so each can log in to a master.
    extra: [...replicationAuthDirectives(options), ...extra],
    args: options.args ?? [],
  })

  return ServerGroup.build('satchel-redis-sentinel-', async (group) => {
    const [master] = await group.launch([dataNode('master', [])])
    if (!master) throw new RedisServerError('The master did not start')
    const replicaOf: ConfigDirective = ['replicaof', LOOPBACK, String(master.port)]
    const replicas = await group.launch(
      Array.from({ length: replicaCount }, (_, i) => dataNode(`replica-${i}`, [replicaOf])),
    )
    const deadline = Date.now() + readyTimeoutMs
    // Replicas first: a sentinel reads the master's INFO once on connecting and then only every
    // ten seconds, so a replica that attaches later would go unseen that long.
    await waitForReplication(replicas, deadline)
    const monitor = sentinelDirectives(name, master.port, options, downAfterMs, failoverTimeoutMs)
    const sentinels = await group.launch(
      Array.from({ length: sentinelCount }, (_, i) => ({
        ...base,
        name: `sentinel-${i}`,
        extra: monitor,
        args: ['--sentinel'],
        rewritesConfig: true,
      })),
    )
    await waitForSentinels(
      () => sentinels,
      {
        name,
        masterPort: master.port,
        replicaPorts: replicas.map((replica) => replica.port),
        peers: sentinelCount - 1,
      },
      deadline,
    )
    return new ManagedRedisSentinel(group, name, master, replicas, sentinels)
  })
}

function resolveName(name: string): string {
  // Sentinel writes the name unquoted when it rewrites its config.
  if (!/^[\w.-]+$/.test(name)) {
    throw new InvalidOptionError('name', `expected letters, digits, ".", "_" or "-", got "${name}"`)
  }
  return name
}

function sentinelDirectives(
  name: string,
  masterPort: number,
  credentials: Pick<RedisSentinelOptions, 'password' | 'user'>,
  downAfterMs: number,
  failoverTimeoutMs: number,
): ConfigDirective[] {
  const directives: ConfigDirective[] = [
    ['sentinel', 'monitor', name, LOOPBACK, String(masterPort), '1'],
    ['sentinel', 'down-after-milliseconds', name, String(downAfterMs)],
    ['sentinel', 'failover-timeout', name, String(failoverTimeoutMs)],
  ]
  if (credentials.user) {
    directives.push(
      ['sentinel', 'auth-user', name, credentials.user.name],
      ['sentinel', 'auth-pass', name, credentials.user.password],
    )
  } else if (credentials.password !== undefined) {
    directives.push(['sentinel', 'auth-pass', name, credentials.password])
  }
  return directives
}

class ManagedRedisSentinel implements RedisSentinel {
  readonly name: string
  readonly master: RedisServer
  readonly replicas: readonly RedisServer[]
  readonly sentinels: readonly RedisServer[]
  readonly clientOptions: RedisClientOptions
  readonly dir: string
  readonly #group: ServerGroup

  constructor(
    group: ServerGroup,
    name: string,
    master: RedisServer,
    replicas: RedisServer[],
    sentinels: RedisServer[],
  ) {
    this.#group = group
    this.dir = group.dir
    this.name = name
    this.master = master
    this.replicas = replicas
    this.sentinels = sentinels
    const { host: _host, port: _port, ...clientOptions } = master.clientOptions
    this.clientOptions = clientOptions
  }

  // A fresh array each time: ioredis adds the sentinels it discovers to the list it is given.
  get sentinelAddresses(): { host: string; port: number }[] {
    return this.sentinels.map((sentinel) => ({ host: sentinel.host, port: sentinel.port }))
  }

  async masterAddress(): Promise<{ host: string; port: number }> {
    let lastError: unknown
    for (const sentinel of this.#running()) {
      try {
        return await readMasterAddress(sentinel, this.name)
      } catch (error) {
        lastError = error
      }
    }
    throw new RedisServerError(`No sentinel answered for master "${this.name}"`, {
      cause: lastError,
    })
  }

  waitForMaster(server: RedisServer, options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_FOR_MASTER_MS)
    return waitForSentinels(
      () => this.#running(),
      { name: this.name, masterPort: server.port },
      deadline,
    )
  }

  stop(): Promise<void> {
    return this.#group.stop()
  }

  kill(): Promise<void> {
    return this.#group.kill()
  }

  #running(): RedisServer[] {
    return this.sentinels.filter((sentinel) => sentinel.state === 'running')
  }
}
