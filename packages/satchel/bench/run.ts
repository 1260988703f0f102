// Entry point: `npm run bench -w satchel -- <scenario...>`; no argument runs them all.
import { runCacheBench } from './cache.js'
import { runCodecBench } from './codec.js'
import { locksBench } from './coordination-locks.js'
import { rateLimitBench } from './coordination-ratelimit.js'
import { runCoreBench } from './core.js'
import { failureBench } from './failure.js'
import { writeResult } from './harness.js'
import { runHitCpuBench } from './hit-cpu.js'

const scenarios: Record<string, () => Promise<void>> = {
  core: runCoreBench,
  cache: runCacheBench,
  // CPU time per serial L2 hit against raw ioredis: the scheduler-independent view of the hit path.
  'hit-cpu': runHitCpuBench,
  codec: async () => {
    await runCodecBench()
  },
  // The wait a caller pays per call while Redis hangs (SIGSTOP), per primitive.
  failure: async () => {
    await writeResult('failure', await failureBench({ quick: process.env.BENCH_QUICK === '1' }))
  },
  // Rate-limit decisions vs rate-limiter-flexible, then lock acquire+release vs redlock.
  coordination: async () => {
    const quick = process.env.BENCH_QUICK === '1'
    await rateLimitBench({ quick })
    await writeResult('coordination-locks', await locksBench({ quick }))
  },
}

const requested = process.argv.slice(2)
const names = requested.length > 0 ? requested : Object.keys(scenarios)
for (const name of names) {
  const run = scenarios[name]
  if (!run) {
    console.error(`unknown scenario "${name}"; available: ${Object.keys(scenarios).join(', ')}`)
    process.exit(2)
  }
  await run()
}
process.exit(0)
