import { Redis } from 'ioredis'
import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
import { load, PAYLOAD } from './cache.js'
import { machine, median, pairedRatio, r1, writeResult } from './harness.js'

/**
 * CPU time per serial L2 hit: satchel's `getOrSet` (`l1: false`, value in Redis) against raw
 * ioredis `GET` + `JSON.parse`, both on one private redis-server, in alternating blocks.
 *
 * Wall-clock latency on a shared 2-core machine moves by more than the difference under test
 * (quiet runs of identical code gave the cache scenario's p50 ratio from 1.09× to 1.21×). The
 * client process's own CPU time per call (`process.cpuUsage`, user + system) does not depend on
 * how the scheduler interleaves it with redis-server, so it isolates what the library adds: the
 * socket write and read are the same system calls on both sides, and the difference is
 * JavaScript.
 *
 *   npm run bench -w satchel -- hit-cpu     # writes bench/results/hit-cpu.json
 */
const QUICK = process.env.BENCH_QUICK === '1'
const SIZES = { keys: 1000, rounds: QUICK ? 2 : 10, perRound: QUICK ? 2000 : 20_000 }

interface Block {
  cpuUs: number
  userUs: number
  systemUs: number
  wallUs: number
}

/** Runs `op` serially `n` times; CPU and wall time per call in µs. */
async function block(op: () => Promise<unknown>, n: number): Promise<Block> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await op()
  const wallUs = ((performance.now() - t0) * 1000) / n
  const cpu = process.cpuUsage(cpu0)
  return {
    cpuUs: (cpu.user + cpu.system) / n,
    userUs: cpu.user / n,
    systemUs: cpu.system / n,
    wallUs,
  }
}

/** The scenario: prints a table and writes `bench/results/hit-cpu.json`. */
export async function runHitCpuBench(): Promise<void> {
  console.log('hit-cpu: CPU time per serial L2 hit, satchel vs ioredis GET + JSON.parse…')
  const server = await startRedis()
  const floor = new Redis(server.url)
  const satchel = createSatchel({
    redis: server.url,
    prefix: 'bench',
    timeouts: { connectMs: 2000, commandMs: 1000 },
    cache: { ttl: 600_000, grace: 0, l1: false },
  })
  try {
    await satchel.connect()
    const json = JSON.stringify(PAYLOAD)
    for (let k = 0; k < SIZES.keys; k++) {
      await floor.set(`floor:${k}`, json, 'PX', 600_000)
      await satchel.cache.set(`hit:${k}`, PAYLOAD, { ttl: 600_000 })
    }
    let i = 0
    let j = 0
    const contenders: Record<string, () => Promise<unknown>> = {
      'ioredis GET+JSON.parse': async () =>
        JSON.parse((await floor.get(`floor:${i++ % SIZES.keys}`)) as string),
      'satchel getOrSet (l1: false)': () => satchel.cache.getOrSet(`hit:${j++ % SIZES.keys}`, load),
    }
    const names = Object.keys(contenders)
    // Warm-up: JIT both paths before anything is counted.
    for (const name of names) await block(contenders[name]!, SIZES.perRound)
    const blocks: Record<string, Block[]> = Object.fromEntries(names.map((n) => [n, []]))
    for (let round = 0; round < SIZES.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const name of order) blocks[name]!.push(await block(contenders[name]!, SIZES.perRound))
    }
    const summary = Object.fromEntries(
      names.map((name) => {
        const b = blocks[name]!
        return [
          name,
          {
            cpuUs: r1(median(b.map((x) => x.cpuUs))),
            userUs: r1(median(b.map((x) => x.userUs))),
            systemUs: r1(median(b.map((x) => x.systemUs))),
            wallUs: r1(median(b.map((x) => x.wallUs))),
          },
        ]
      }),
    )
    // Paired per round: adjacent blocks share the machine's state of the moment.
    const [floorName, oursName] = names as [string, string]
    const paired = (field: keyof Block) =>
      pairedRatio(
        blocks[oursName]!.map((b) => b[field]),
        blocks[floorName]!.map((b) => b[field]),
      )
    const ratios = {
      cpu: paired('cpuUs'),
      user: paired('userUs'),
      wall: paired('wallUs'),
      extraCpuUsPerHit: r1(summary[oursName]!.cpuUs - summary[floorName]!.cpuUs),
    }
    console.table(summary)
    console.log('satchel / floor:', ratios)
    const path = await writeResult('hit-cpu', {
      scenario: 'hit-cpu',
      at: new Date().toISOString(),
      quick: QUICK,
      machine: machine(),
      sizes: SIZES,
      results: summary,
      rounds: blocks,
      ratios,
    })
    console.log(`wrote ${path}`)
  } finally {
    floor.disconnect()
    await satchel.close({ deadlineMs: 200 })
    await server.stop()
  }
}
