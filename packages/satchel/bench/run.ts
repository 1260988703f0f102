// Entry point: `npm run bench -w satchel -- <scenario...>`; no argument runs them all.
import { runCodecBench } from './codec.js'
import { runCoreBench } from './core.js'

const scenarios: Record<string, () => Promise<void>> = {
  core: runCoreBench,
  codec: async () => {
    await runCodecBench()
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
