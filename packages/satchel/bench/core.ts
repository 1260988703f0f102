import { Redis } from 'ioredis'
import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
import {
  concurrentThroughput,
  machine,
  pairedRatio,
  ratio,
  serialLatency,
  writeResult,
} from './harness.js'

/**
 * Raw ioredis GET against a GET through satchel's bounded, breaker-guarded path
 * (`satchel.redis.exec`), same server, same run. Targets: latency ≤ 1.05× raw, throughput
 * ≥ 0.95× raw. Also reported: `satchel.values.get` (decode included) against ioredis
 * `getBuffer` + `JSON.parse`, the floor a hand-rolled cache read would have, and ioredis with
 * its own per-command `commandTimeout`, the bounded alternative without satchel.
 */
export async function runCoreBench(): Promise<void> {
  const server = await startRedis()
  const raw = new Redis(server.url)
  // ioredis's own bound: a timer per command. The fair reference for "bounded", since plain
  // ioredis can wait forever on a hung server.
  const rawBounded = new Redis(server.url, { commandTimeout: 50 })
  const satchel = createSatchel({ redis: server.url, prefix: 'bench' })
  await satchel.connect()
  const key = 'bench:core:k'
  const payload = { id: 42, title: 'Fractions and decimals', tags: ['math', 'grade-5'], xp: 120 }
  await raw.set(key, JSON.stringify(payload))
  const valueKey = 'bench:core:v'
  await satchel.values.set(valueKey, payload, { ttlMs: 600_000 })

  const contenders = {
    'ioredis GET': () => raw.get(key),
    'ioredis GET commandTimeout': () => rawBounded.get(key),
    'satchel exec GET': () => satchel.redis.exec('get', (r) => r.get(key)),
    'ioredis getBuffer+JSON.parse': async () => JSON.parse(String(await raw.getBuffer(key))),
    'satchel values.get': () => satchel.values.get(valueKey),
  }

  console.log('core: serial latency (alternating blocks)…')
  const latency = await serialLatency(contenders, { rounds: 10, perRound: 2000, warmup: 2000 })
  console.log('core: 64-concurrent throughput (alternating 0.5 s blocks)…')
  const throughput = await concurrentThroughput(contenders, {
    rounds: 12,
    blockMs: 500,
    concurrency: 64,
  })

  const rows = Object.keys(contenders).map((name) => ({
    contender: name,
    'p50 µs': latency[name]!.p50Us,
    'p99 µs': latency[name]!.p99Us,
    'ops/s @64': throughput[name]!.opsPerSec,
  }))
  console.table(rows)
  const base = 'ioredis GET'
  const guarded = 'satchel exec GET'
  const ratios = {
    p50: ratio(latency[guarded]!.p50Us, latency[base]!.p50Us),
    p99: ratio(latency[guarded]!.p99Us, latency[base]!.p99Us),
    throughput: pairedRatio(throughput[guarded]!.rounds, throughput[base]!.rounds),
    throughputVsIoredisCommandTimeout: pairedRatio(
      throughput[guarded]!.rounds,
      throughput['ioredis GET commandTimeout']!.rounds,
    ),
    valuesGetP50VsRawParse: ratio(
      latency['satchel values.get']!.p50Us,
      latency['ioredis getBuffer+JSON.parse']!.p50Us,
    ),
    valuesGetThroughputVsRawParse: pairedRatio(
      throughput['satchel values.get']!.rounds,
      throughput['ioredis getBuffer+JSON.parse']!.rounds,
    ),
  }
  const targets = {
    'latency p50 ≤ 1.05× raw': ratios.p50 <= 1.05,
    'throughput ≥ 0.95× raw': ratios.throughput >= 0.95,
  }
  console.log('ratios (satchel / raw):', ratios)
  console.log('targets:', targets)
  const path = await writeResult('core', {
    scenario: 'core',
    at: new Date().toISOString(),
    machine: machine(),
    redis: (await raw.info('server')).match(/redis_version:(\S+)/)?.[1],
    latency,
    throughput,
    ratios,
    targets,
  })
  console.log(`core: wrote ${path}`)
  raw.disconnect()
  rawBounded.disconnect()
  await satchel.close()
  await server.stop()
}
