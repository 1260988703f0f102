import type { Redis } from 'ioredis'
import { type AdminTarget, withAdminClient } from './admin-client.js'
import { asString, pollUntil } from './poll.js'
import { LOOPBACK } from './ports.js'

/** Redis Cluster's fixed number of hash slots. */
export const SLOT_COUNT = 16_384

const COMMAND_TIMEOUT_MS = 1_000

/*
 * The cluster is formed with CLUSTER commands rather than `redis-cli --cluster create`:
 * - no second binary whose authentication and TLS flags must be kept in step with the server's;
 * - redis-cli polls the join with one-second sleeps, while polling ourselves lets a 6-node
 *   cluster be ready as soon as the servers are (about two seconds, bounded by the delay redis
 *   itself imposes before a fresh master accepts writes);
 * - "ready" here means what tests need: every node reports `cluster_state:ok`, all agree on who
 *   owns which slot and who replicates whom, and every replica's link to its master is up, so
 *   the first read of a freshly written key on a replica does not race the initial sync.
 */

/**
 * Assigns slots to `masters`, introduces every node to every other and attaches each replica to
 * master `i % masters.length`. Returns once the replicas have been told whom to follow; call
 * {@link waitUntilHealthy} to wait for the cluster to settle.
 */
export async function formCluster(
  masters: readonly AdminTarget[],
  replicas: readonly AdminTarget[],
  deadline: number,
): Promise<void> {
  const all = [...masters, ...replicas]
  await Promise.all(
    masters.map((master, i) =>
      admin(master, async (redis) => {
        // Distinct epochs up front, as redis-cli does, so the nodes need not resolve an epoch
        // collision (which takes extra gossip rounds) before the slot map is settled.
        await redis.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))
        const first = Math.floor((i * SLOT_COUNT) / masters.length)
        const last = Math.floor(((i + 1) * SLOT_COUNT) / masters.length) - 1
        await redis.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last))
      }),
    ),
  )
  // Every node meets every other: a full mesh needs no gossip rounds to converge, and a few
  // dozen commands cost nothing.
  await Promise.all(
    all.map((node) =>
      admin(node, async (redis) => {
        for (const other of all) {
          if (other.port !== node.port) await redis.call('CLUSTER', 'MEET', LOOPBACK, other.port)
        }
      }),
    ),
  )
  const masterIds = await Promise.all(
    masters.map((master) =>
      admin(master, async (redis) => asString(await redis.call('CLUSTER', 'MYID'))),
    ),
  )
  // CLUSTER REPLICATE fails until the replica has learnt the master from the handshake.
  await pollUntil(deadline, 'the nodes to complete their handshake', async () => {
    const views = await Promise.all(all.map((node) => admin(node, readClusterNodes)))
    return views.every(
      (view) => view.length === all.length && view.every((entry) => !entry.flags.has('handshake')),
    )
  })
  await Promise.all(
    replicas.map((replica, i) =>
      admin(replica, (redis) =>
        redis.call('CLUSTER', 'REPLICATE', masterIds[i % masterIds.length] as string),
      ),
    ),
  )
}

/** A node to check, and whether it is supposed to be up. */
export interface HealthTarget extends AdminTarget {
  running: boolean
}

/**
 * Waits until every running node reports `cluster_state:ok` and all of them agree on the slot
 * map and the replica links, with nodes that are not running marked failed. `nodes` is called
 * on every round, so a node restarted meanwhile is expected up.
 *
 * @throws RedisServerError naming what was still unsettled at `deadline`.
 */
export async function waitUntilHealthy(
  nodes: () => readonly HealthTarget[],
  deadline: number,
): Promise<void> {
  await pollUntil(deadline, 'the cluster to become healthy', async () => {
    // Re-read each round: a test may restart a node while we wait.
    const running = nodes().filter((node) => node.running)
    if (running.length === 0) return false
    const runningPorts = new Set(running.map((node) => node.port))
    const reports = await Promise.all(running.map((node) => admin(node, readNodeReport)))
    let agreed: string | undefined
    for (const report of reports) {
      if (!report.stateOk) return false
      const live = report.nodes.filter((entry) => !entry.flags.has('fail'))
      // Not yet settled: a suspected failure, a node still shaking hands.
      if (live.some((entry) => entry.flags.has('fail?') || entry.flags.has('handshake'))) {
        return false
      }
      const livePorts = new Set(live.map((entry) => entry.port))
      if (livePorts.size !== runningPorts.size) return false
      for (const port of runningPorts) if (!livePorts.has(port)) return false
      if (report.isReplica && !report.masterLinkUp) return false
      const signature = live
        .map((entry) => `${entry.id} ${entry.role} ${entry.masterId} ${entry.slots.join(',')}`)
        .sort()
        .join('\n')
      if (agreed === undefined) agreed = signature
      else if (agreed !== signature) return false
    }
    return true
  })
}

interface ClusterNodeEntry {
  id: string
  port: number
  flags: Set<string>
  role: 'master' | 'replica'
  masterId: string
  slots: string[]
}

interface NodeReport {
  stateOk: boolean
  isReplica: boolean
  masterLinkUp: boolean
  nodes: ClusterNodeEntry[]
}

async function readNodeReport(redis: Redis): Promise<NodeReport> {
  const info = asString(await redis.call('CLUSTER', 'INFO'))
  const replication = await redis.info('replication')
  return {
    stateOk: /^cluster_state:ok\r?$/m.test(info),
    isReplica: /^role:slave\r?$/m.test(replication),
    masterLinkUp: /^master_link_status:up\r?$/m.test(replication),
    nodes: await readClusterNodes(redis),
  }
}

// CLUSTER NODES lines: <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv>
// <config-epoch> <link-state> <slot>... (https://redis.io/commands/cluster-nodes/).
async function readClusterNodes(redis: Redis): Promise<ClusterNodeEntry[]> {
  const text = asString(await redis.call('CLUSTER', 'NODES'))
  const entries: ClusterNodeEntry[] = []
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ')
    const [id, address, flagList, masterId] = fields
    if (!id || !address || !flagList || !masterId) continue
    const flags = new Set(flagList.split(','))
    entries.push({
      id,
      port: Number(/:(\d+)@/.exec(address)?.[1] ?? Number.NaN),
      flags,
      role: flags.has('slave') ? 'replica' : 'master',
      masterId,
      // Slots under migration appear as "[slot->-id]"; a settled test cluster has none.
      slots: fields.slice(8).filter((slot) => !slot.startsWith('[')),
    })
  }
  return entries
}

function admin<T>(target: AdminTarget, fn: (redis: Redis) => Promise<T>): Promise<T> {
  return withAdminClient(target, COMMAND_TIMEOUT_MS, fn)
}
