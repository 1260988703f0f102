import { pathToFileURL } from 'node:url'
import { Redis } from 'ioredis'
// @ts-expect-error redlock@5 beta's package.json "exports" hide its .d.ts from NodeNext resolution
import RedlockUntyped from 'redlock'
import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
import type { Op } from './harness.js'
import { concurrentThroughput, machine, pairedRatio, ratio, serialLatency } from './harness.js'

/** The part of redlock's API the bench uses (its own types are unreachable, see the import). */
interface RedlockLike {
  acquire(resources: string[], duration: number): Promise<{ release(): Promise<unknown> }>
}
const Redlock = RedlockUntyped as new (
  clients: Redis[],
  settings: { retryCount: number },
) => RedlockLike

const CONCURRENCY = 64
const TTL_MS = 5000

/**
 * Lock acquire + release, satchel against redlock@5 (one ioredis client, `retryCount: 0`) on
 * the same private redis-server in the same run: serial latency on one resource, throughput
 * with 64 concurrent callers on 64 distinct resources (no contention: this measures the lock
 * path, not waiting), and Redis round trips per acquire + release from the server's own
 * INFO commandstats. Returns the result; the caller prints or stores it.
 *
 * @example
 * ```ts
 * const result = await locksBench({ quick: true })
 * ```
 */
export async function locksBench(options: { quick: boolean }): Promise<object> {
  const server = await startRedis()
  const admin = new Redis(server.url)
  const redlockClient = new Redis(server.url)
  const redlock = new Redlock([redlockClient], { retryCount: 0 })
  // A generous command bound: on a loaded machine a 50 ms bound turns scheduling hiccups into
  // E_REDIS_UNAVAILABLE; the bound does not change the speed of answered commands.
  const satchel = createSatchel({
    redis: server.url,
    prefix: 'bench',
    timeouts: { commandMs: 1000 },
  })
  await satchel.connect()
  try {
    const serial: Record<string, Op> = {
      'satchel acquire+release': async () => {
        const lock = await satchel.locks.acquire('serial', { ttl: TTL_MS, retry: false })
        await lock.release()
      },
      'redlock acquire+release': async () => {
        const lock = await redlock.acquire(['redlock:serial'], TTL_MS)
        await lock.release()
      },
    }
    const concurrent: Record<string, Op> = {
      'satchel acquire+release': pooled(async (resource) => {
        const lock = await satchel.locks.acquire(resource, { ttl: TTL_MS, retry: false })
        await lock.release()
      }),
      'redlock acquire+release': pooled(async (resource) => {
        const lock = await redlock.acquire([`redlock:${resource}`], TTL_MS)
        await lock.release()
      }),
    }

    const roundTrips: Record<string, number> = {}
    const serverCommands: Record<string, number> = {}
    for (const [name, op] of Object.entries(serial)) {
      const n = 1000
      const before = await commandCalls(admin)
      for (let i = 0; i < n; i++) await op()
      const after = await commandCalls(admin)
      roundTrips[name] = ratio((after.roundTrips - before.roundTrips) / n, 1)
      serverCommands[name] = ratio((after.serverCommands - before.serverCommands) / n, 1)
    }

    const latency = await serialLatency(serial, {
      rounds: options.quick ? 2 : 10,
      perRound: options.quick ? 300 : 2000,
      warmup: options.quick ? 200 : 2000,
    })
    const throughput = await concurrentThroughput(concurrent, {
      rounds: options.quick ? 2 : 12,
      blockMs: options.quick ? 200 : 500,
      concurrency: CONCURRENCY,
    })

    const names = Object.keys(serial)
    const rows = names.map((name) => ({
      contender: name,
      'p50 µs': latency[name]!.p50Us,
      'p99 µs': latency[name]!.p99Us,
      'serial ops/s': Math.round(1e6 / latency[name]!.meanUs),
      [`ops/s @${CONCURRENCY}`]: throughput[name]!.opsPerSec,
      'round trips': roundTrips[name],
      'server cmds': serverCommands[name],
    }))
    console.table(rows)
    const ours = 'satchel acquire+release'
    const peer = 'redlock acquire+release'
    return {
      scenario: 'coordination-locks',
      at: new Date().toISOString(),
      quick: options.quick,
      machine: machine(),
      redis: (await admin.info('server')).match(/redis_version:(\S+)/)?.[1],
      rows,
      latency,
      throughput,
      roundTrips,
      serverCommands,
      ratios: {
        p50VsRedlock: ratio(latency[ours]!.p50Us, latency[peer]!.p50Us),
        throughputVsRedlock: pairedRatio(throughput[ours]!.rounds, throughput[peer]!.rounds),
      },
    }
  } finally {
    admin.disconnect()
    redlockClient.disconnect()
    await satchel.close()
    await server.stop()
  }
}

/**
 * Gives each concurrent caller its own resource from a pool of {@link CONCURRENCY} names, so
 * there is no contention and no unbounded growth of fence keys.
 */
function pooled(op: (resource: string) => Promise<void>): Op {
  const free = Array.from({ length: CONCURRENCY }, (_, i) => `pool:${i}`)
  return async () => {
    const resource = free.pop()
    if (resource === undefined) throw new Error('more callers than pooled resources')
    try {
      await op(resource)
    } finally {
      free.push(resource)
    }
  }
}

/**
 * From INFO commandstats: `roundTrips`, the EVALSHA and EVAL calls (the only commands either
 * contender sends on this path, NOSCRIPT fallback included), and `serverCommands`, every command
 * run, those made inside the scripts included (what the server works through per operation).
 * INFO itself is not counted.
 */
async function commandCalls(admin: Redis): Promise<{ roundTrips: number; serverCommands: number }> {
  const info = await admin.info('commandstats')
  let roundTrips = 0
  let serverCommands = 0
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const calls = Number(m[2])
    if (m[1] === 'info') continue
    serverCommands += calls
    if (m[1] === 'evalsha' || m[1] === 'eval') roundTrips += calls
  }
  return { roundTrips, serverCommands }
}

// `tsx bench/coordination-locks.ts [--quick]` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await locksBench({ quick: process.argv.includes('--quick') })
  console.log(JSON.stringify((result as { ratios: unknown }).ratios))
  process.exit(0)
}
