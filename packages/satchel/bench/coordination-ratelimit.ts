import { Redis } from 'ioredis'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import { createSatchel } from '../src/index.js'
import { ALGORITHMS, LocalLimiter, type RateLimitAlgorithm } from '../src/ratelimit/index.js'
import { startRedis } from '../src/testing/index.js'
import { concurrentThroughput, machine, type Op, pairedRatio, writeResult } from './harness.js'

/**
 * Rate-limit decisions per second and p99 latency at 64 concurrent callers: satchel (each
 * algorithm) against rate-limiter-flexible's `RateLimiterRedis` on ioredis, same private
 * redis-server, interleaved rounds; plus the in-process insurance limiter alone. Two workloads:
 *
 * - `admit`: 1000 identifiers under a limit never reached: the pure Redis path (one script per
 *   decision for both libraries);
 * - `hot-reject`: one identifier far over its limit (an attacker on /login): satchel's block
 *   cache answers in-process, rate-limiter-flexible asks Redis every time unless its
 *   `inMemoryBlockOnConsumed` option is set (both configurations are measured).
 *
 * Per decision over a fixed number of decisions: round trips (commands the clients sent) and
 * server commands (`INFO commandstats` delta, INFO excluded, which also counts the commands a
 * script runs inside Redis).
 */
export async function rateLimitBench(options: { quick: boolean }): Promise<object> {
  const server = await startRedis()
  const admin = new Redis(server.url)
  const rlfClient = new Redis(server.url, { enableOfflineQueue: true })
  // 200 ms rather than the 50 ms default: a 2-core box running 64 callers plus redis-server
  // must not turn GC pauses into fail-open decisions that skip Redis and flatter the numbers.
  const satchel = createSatchel({
    redis: server.url,
    prefix: 'bench',
    timeouts: { commandMs: 200 },
  })
  await satchel.connect()
  const satchelSent = countSent(satchel.redis.client as Redis)
  const rlfSent = countSent(rlfClient)
  const rounds = options.quick ? 2 : 8
  const blockMs = options.quick ? 250 : 1000
  const concurrency = 64
  const ids = Array.from({ length: 1000 }, (_, i) => `user:${i}`)
  let next = 0
  const id = (): string => ids[next++ % ids.length]!

  try {
    const admit: Record<string, Op> = {}
    for (const algorithm of ALGORITHMS) {
      const limiter = satchel.rateLimiter({
        name: `bench-${algorithm}`,
        algorithm,
        limit: 1_000_000_000,
        window: '1h',
        failurePolicy: 'closed',
      })
      admit[`satchel ${algorithm}`] = () => limiter.limit(id())
    }
    const rlf = new RateLimiterRedis({
      storeClient: rlfClient,
      points: 1_000_000_000,
      duration: 3600,
      keyPrefix: 'bench-rlf',
    })
    admit['rate-limiter-flexible RateLimiterRedis'] = () => rlf.consume(id())
    const insurance = insuranceLimiter('sliding-window', 1_000_000_000)
    admit['satchel insurance (in-process) sliding-window'] = async () => insurance.decide(id(), 1)

    const hotSatchel = satchel.rateLimiter({
      name: 'bench-hot',
      algorithm: 'fixed-window',
      limit: 10,
      window: '1h',
    })
    const hotRlf = new RateLimiterRedis({
      storeClient: rlfClient,
      points: 10,
      duration: 3600,
      keyPrefix: 'bench-rlf-hot',
    })
    const hotRlfBlock = new RateLimiterRedis({
      storeClient: rlfClient,
      points: 10,
      duration: 3600,
      keyPrefix: 'bench-rlf-hot-block',
      inMemoryBlockOnConsumed: 10,
      inMemoryBlockDuration: 3600,
    })
    const rejected = (): null => null
    const hot: Record<string, Op> = {
      'satchel fixed-window (block cache)': () => hotSatchel.limit('ip:203.0.113.66'),
      'rate-limiter-flexible RateLimiterRedis': () =>
        hotRlf.consume('ip:203.0.113.66').catch(rejected),
      'rate-limiter-flexible inMemoryBlockOnConsumed': () =>
        hotRlfBlock.consume('ip:203.0.113.66').catch(rejected),
    }

    const workloads: Record<string, Record<string, Op>> = { admit, 'hot-reject': hot }
    const report: Record<string, unknown> = {}
    for (const [workload, contenders] of Object.entries(workloads)) {
      console.log(`coordination/ratelimit: ${workload}, ${concurrency} concurrent callers…`)
      const trips = await roundTrips(
        admin,
        () => satchelSent() + rlfSent(),
        contenders,
        options.quick ? 2000 : 20_000,
      )
      const latencies: Record<string, number[]> = {}
      const timed: Record<string, Op> = {}
      for (const [name, op] of Object.entries(contenders)) {
        const samples: number[] = []
        latencies[name] = samples
        timed[name] = async () => {
          const start = performance.now()
          await op()
          samples.push(performance.now() - start)
        }
      }
      const throughput = await concurrentThroughput(timed, { rounds, blockMs, concurrency })
      const rows = Object.keys(contenders).map((name) => ({
        contender: name,
        'decisions/s @64': throughput[name]!.opsPerSec,
        'p99 ms @64': ms2(percentile(latencies[name]!, 0.99)),
        'p50 ms @64': ms2(percentile(latencies[name]!, 0.5)),
        'round trips/decision': trips[name]!.roundTrips,
        'server commands/decision': trips[name]!.serverCommands,
        'redis CPU µs/decision': trips[name]!.scriptUs,
      }))
      console.table(rows)
      const peer = 'rate-limiter-flexible RateLimiterRedis'
      const vsPeer = Object.fromEntries(
        Object.keys(contenders)
          .filter((name) => name !== peer)
          .map((name) => [name, pairedRatio(throughput[name]!.rounds, throughput[peer]!.rounds)]),
      )
      report[workload] = { rows, throughputVsRateLimiterFlexible: vsPeer }
    }
    const fallbacks = satchel.stats().redis.fallbacks
    const result = {
      scenario: 'coordination-ratelimit',
      at: new Date().toISOString(),
      machine: machine(),
      quick: options.quick,
      settings: { rounds, blockMs, concurrency, identifiers: ids.length },
      satchelFallbacks: fallbacks,
      ...report,
    }
    if (!options.quick) await writeResult('coordination-ratelimit', result)
    return result
  } finally {
    await satchel.close()
    admin.disconnect()
    rlfClient.disconnect()
    await server.stop()
  }
}

function insuranceLimiter(algorithm: RateLimitAlgorithm, limit: number): LocalLimiter {
  return new LocalLimiter({
    algorithm,
    limit,
    windowMs: 3_600_000,
    refillRate: limit,
    maxEntries: 10_000,
  })
}

/** Redis commands the server executed per decision, INFO itself excluded. */
async function roundTrips(
  admin: Redis,
  sent: () => number,
  contenders: Record<string, Op>,
  decisions: number,
): Promise<Record<string, { roundTrips: number; serverCommands: number; scriptUs: number }>> {
  const out: Record<string, { roundTrips: number; serverCommands: number; scriptUs: number }> = {}
  const per = (n: number): number =>
    Math.round((n / (Math.ceil(decisions / 64) * 64)) * 1000) / 1000
  for (const [name, op] of Object.entries(contenders)) {
    // Warm up first: script loading (EVAL on NOSCRIPT) is a one-off, not a per-decision cost.
    await Promise.all(Array.from({ length: 64 }, () => op()))
    const before = await commandCalls(admin)
    const sentBefore = sent()
    for (let done = 0; done < decisions; done += 64) {
      await Promise.all(Array.from({ length: 64 }, () => op()))
    }
    const sentAfter = sent()
    const after = await commandCalls(admin)
    out[name] = {
      roundTrips: per(sentAfter - sentBefore),
      serverCommands: per(after.calls - before.calls),
      scriptUs: per(after.scriptUs - before.scriptUs),
    }
  }
  return out
}

/**
 * Counts commands a client sends (bench instrumentation only). `INFO commandstats` also counts
 * the commands a Lua script runs inside the server, so it measures server work, not round trips.
 */
function countSent(client: { sendCommand: (...args: never[]) => unknown }): () => number {
  let sent = 0
  const original = client.sendCommand.bind(client)
  client.sendCommand = (...args: never[]) => {
    sent++
    return original(...args)
  }
  return () => sent
}

/**
 * Commands executed (INFO excluded) and the server CPU µs spent in scripts (EVAL/EVALSHA time
 * includes the commands they run; both libraries decide in scripts only). CPU time is far less
 * sensitive to a noisy shared machine than throughput.
 */
async function commandCalls(admin: Redis): Promise<{ calls: number; scriptUs: number }> {
  const info = await admin.info('commandstats')
  let calls = 0
  let scriptUs = 0
  for (const match of info.matchAll(/^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm)) {
    if (match[1] !== 'info') calls += Number(match[2])
    if (match[1] === 'evalsha' || match[1] === 'eval') scriptUs += Number(match[3])
  }
  return { calls, scriptUs }
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function ms2(value: number): number {
  return Math.round(value * 100) / 100
}
