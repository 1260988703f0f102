/**
 * `npm run bench -w campus -- <scenario> [--scale small|large] [--views N] [--seconds S]`
 *
 * Scenarios: `egress` (seed 000: legacy vs bundle loaders on the same page-view mix), `auth`
 * (session lookup through the index vs the database; sign-in under credential stuffing),
 * `ingest` (OneRoster set and IXL file import throughput and memory: bench/ingest.ts, bench/ingest-ixl.ts;
 *   `ingest-ixl` runs the IXL part alone).
 * `dispatch` (tenant dashboard server time, cold and warm).
 * `analytics` (role dashboards: cold/warm server time, hit rate and queries per view in a mix).
 */
import { parseArgs } from 'node:util'
import { analyticsBench } from './analytics.js'
import { authBench } from './auth.js'
import { dispatchBench } from './dispatch.js'
import { egress } from './egress.js'
import { ingestBench } from './ingest.js'
import { ingestIxlBench } from './ingest-ixl.js'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string', default: 'large' },
    views: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
  },
})
const scenario = positionals[0] ?? 'egress'
const scale = values.scale
if (scale !== 'small' && scale !== 'large') {
  console.error(`--scale must be small or large, got ${JSON.stringify(scale)}`)
  process.exit(2)
}
const views = Number(values.views)
const seconds = Number(values.seconds)
if (!Number.isInteger(views) || views < 1 || !Number.isFinite(seconds) || seconds <= 0) {
  console.error('--views must be a positive integer and --seconds a positive number')
  process.exit(2)
}
if (scenario === 'auth') {
  await authBench({ seconds })
  process.exit(0)
}
if (scenario === 'ingest') {
  await ingestBench()
  await ingestIxlBench()
  process.exit(0)
}
if (scenario === 'ingest-ixl') {
  await ingestIxlBench()
  process.exit(0)
}
if (scenario === 'dispatch') {
  await dispatchBench({ views })
  process.exit(0)
}
if (scenario === 'analytics') {
  await analyticsBench({ scale, views })
  process.exit(0)
}
if (scenario !== 'egress') {
  console.error(
    `unknown scenario ${JSON.stringify(scenario)}; available: egress, auth, ingest, ingest-ixl, dispatch, analytics`,
  )
  process.exit(2)
}
await egress({ scale, views, seconds })
process.exit(0)
