import type { Redis } from 'ioredis'
import { type AdminTarget, withAdminClient } from './admin-client.js'
import { RedisServerError } from './errors.js'
import { asString, pollUntil } from './poll.js'
import { LOOPBACK } from './ports.js'

const COMMAND_TIMEOUT_MS = 1_000

/** What every sentinel must report before a test may rely on it. */
export interface SentinelExpectation {
  /** The monitored master's name. */
  name: string
  /** The port `SENTINEL GET-MASTER-ADDR-BY-NAME` must return (on loopback). */
  masterPort: number
  /** Replicas each sentinel must list as connected and in sync; not checked when omitted. */
  replicaPorts?: readonly number[]
  /** How many other sentinels each must know; not checked when omitted. */
  peers?: number
}

/**
 * Waits until every sentinel `sentinels()` returns meets `expected`. Called on every round, so a
 * sentinel stopped or restarted meanwhile is skipped or expected back.
 *
 * Sentinel finds replicas through the master's `INFO` and other sentinels through hello
 * messages published every two seconds: a sentinel that already answers may not yet be able to
 * fail over, which is why startup waits for both.
 *
 * @throws RedisServerError when not met by `deadline`.
 */
export async function waitForSentinels(
  sentinels: () => readonly AdminTarget[],
  expected: SentinelExpectation,
  deadline: number,
): Promise<void> {
  await pollUntil(deadline, `the sentinels to agree on master "${expected.name}"`, async () => {
    const targets = sentinels()
    if (targets.length === 0) return false
    const verdicts = await Promise.all(
      targets.map((target) => admin(target, (redis) => meets(redis, expected))),
    )
    return verdicts.every(Boolean)
  })
}

/**
 * Waits until each replica reports its link to the master up, so sentinels that look at the
 * master next find every replica in its `INFO` and may promote any of them.
 */
export async function waitForReplication(
  replicas: readonly AdminTarget[],
  deadline: number,
): Promise<void> {
  await pollUntil(deadline, 'the replicas to sync with the master', async () => {
    const links = await Promise.all(
      replicas.map((replica) =>
        admin(replica, async (redis) =>
          /^master_link_status:up\r?$/m.test(await redis.info('replication')),
        ),
      ),
    )
    return links.every(Boolean)
  })
}

/** The master address a sentinel reports for `name`. */
export function readMasterAddress(
  sentinel: AdminTarget,
  name: string,
): Promise<{ host: string; port: number }> {
  return admin(sentinel, async (redis) => {
    const reply = await redis.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)
    if (!Array.isArray(reply) || reply.length !== 2) {
      throw new RedisServerError(`Sentinel on port ${sentinel.port} does not monitor "${name}"`)
    }
    return { host: asString(reply[0]), port: Number(asString(reply[1])) }
  })
}

async function meets(redis: Redis, expected: SentinelExpectation): Promise<boolean> {
  const reply = await redis.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', expected.name)
  if (!Array.isArray(reply) || asString(reply[0]) !== LOOPBACK) return false
  if (Number(asString(reply[1])) !== expected.masterPort) return false
  if (expected.replicaPorts) {
    const replicas = await readEntries(redis, 'REPLICAS', expected.name)
    const ready = replicas.filter(
      (entry) => entry.get('flags') === 'slave' && entry.get('master-link-status') === 'ok',
    )
    const ports = new Set(ready.map((entry) => Number(entry.get('port'))))
    if (!expected.replicaPorts.every((port) => ports.has(port))) return false
  }
  if (expected.peers !== undefined) {
    const peers = await readEntries(redis, 'SENTINELS', expected.name)
    if (peers.filter((entry) => entry.get('flags') === 'sentinel').length < expected.peers) {
      return false
    }
  }
  return true
}

// SENTINEL REPLICAS / SENTINELS answer with one flat [field, value, ...] array per instance.
async function readEntries(
  redis: Redis,
  subcommand: 'REPLICAS' | 'SENTINELS',
  name: string,
): Promise<Map<string, string>[]> {
  const reply = await redis.call('SENTINEL', subcommand, name)
  if (!Array.isArray(reply)) return []
  return reply.map((fields: unknown) => {
    const entry = new Map<string, string>()
    if (!Array.isArray(fields)) return entry
    for (let i = 0; i + 1 < fields.length; i += 2) {
      entry.set(asString(fields[i]), asString(fields[i + 1]))
    }
    return entry
  })
}

function admin<T>(target: AdminTarget, fn: (redis: Redis) => Promise<T>): Promise<T> {
  return withAdminClient(target, COMMAND_TIMEOUT_MS, fn)
}
