/**
 * The egress benchmark (seed 000): replays one page-view mix on the `large` set with the legacy
 * loaders and with the bundle loaders, against a private redis-server, and measures what the
 * incident was about — Redis bytes sent to campus per view — plus database queries per view
 * once warm, server time, and autocannon throughput of the lesson page cached and uncached.
 *
 * Both families run with the in-process tier off (`l1: false`), so every view reads Redis the
 * way the incident's fleet of short-lived serverless instances did; with L1 on, a long-lived
 * process would hide the difference until its first invalidation.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { serve } from '@hono/node-server'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { createSatchel, type Satchel } from 'satchel'
import { startRedis } from 'satchel/testing'
import { createApp } from '../src/app.js'
import type { LoaderFamily } from '../src/content/source.js'
import { type DatabaseHandle, openDatabase } from '../src/db/client.js'
import { assessmentItems, componentResources, courses } from '../src/db/schema.js'
import { createCampusDeps } from '../src/deps.js'
import { generateDataset } from '../src/seed/generate.js'
import { writeDataset } from '../src/seed/write.js'
import { buildMix, MIX_WEIGHTS, type PageView } from './mix.js'
import { machine, percentile, writeResult } from './report.js'

const run = promisify(execFile)

/**
 * Content TTL of the benchmark's campus. The legacy family's warm-up and measured passes take
 * over half an hour each on the large set; with the production 30-minute TTL, keys written early
 * would go stale mid-run and their refreshes would be counted as steady-state database queries.
 */
const BENCH_TTL = '1d'

/** Options of {@link egress}. */
export interface EgressOptions {
  scale: 'small' | 'large'
  views: number
  /** autocannon seconds per lesson-page run. */
  seconds: number
}

interface FamilyResult {
  views: number
  non200: number
  redisBytesTotal: number
  redisBytesPerView: number
  payloadBytesPerKind: Record<string, number>
  dbQueriesWarmup: number
  dbQueriesPerView: number
  serverMs: { p50: number; p95: number; p99: number; mean: number }
  serverMsPerKind: Record<string, { p50: number; p95: number }>
}

async function netOutputBytes(redis: Redis): Promise<number> {
  const info = await redis.info('stats')
  const match = /total_net_output_bytes:(\d+)/.exec(info)
  if (!match) throw new Error('INFO stats has no total_net_output_bytes')
  return Number(match[1])
}

/** Opens the benchmark database and makes sure it holds exactly the dataset of `scale`. */
async function benchDatabase(scale: EgressOptions['scale']): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL
  const database = url
    ? await openDatabase({ url, pgSchema: `campus_bench_${scale}` })
    : await openDatabase({ dataDir: join(process.cwd(), '.campus', `bench-${scale}`) })
  const dataset = generateDataset({ scale })
  // Reused only when every content table holds exactly the generated row count; anything else
  // (an older generator, an interrupted seed) is rewritten in one transaction.
  const [present, placed, items] = await Promise.all([
    database.db.$count(courses),
    database.db.$count(componentResources),
    database.db.$count(assessmentItems),
  ])
  const fits =
    present === dataset.courses.length &&
    placed === dataset.componentResources.length &&
    items === dataset.assessmentItems.length
  if (!fits) {
    console.log(
      `seeding the ${scale} set into ${database.kind} (${dataset.courses.length} courses)…`,
    )
    const started = performance.now()
    let last = 0
    await writeDataset(
      database.db,
      dataset,
      ({ table, done, total }) => {
        if (performance.now() - last > 2000 || done === total) {
          last = performance.now()
          console.log(`  ${table} ${done}/${total}`)
        }
      },
      { reset: true },
    )
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  return database
}

function openSatchel(
  url: string,
  flags?: string,
  l1Limits?: { maxEntries: number; maxBytes: number },
): Satchel {
  return createSatchel({
    redis: url,
    prefix: 'campus',
    flags,
    cache: l1Limits ? { l1Limits } : undefined,
    // The legacy lists of the large set are tens of MB: the default 8 MiB cap would refuse to
    // cache them (and the default 50 ms bound would time out reading them), which would hide
    // the very egress this benchmark measures. Both families get the same settings.
    codec: { maxValueBytes: 512 * 2 ** 20, maxDecodedBytes: 2 ** 31 - 1 },
    timeouts: { commandMs: 10_000 },
  })
}

async function replay(
  family: LoaderFamily,
  database: DatabaseHandle,
  redisUrl: string,
  mix: PageView[],
): Promise<FamilyResult> {
  // Warm-up: one pass fills every key the mix reads, so what is measured is the steady state.
  // It runs with a large in-process tier, so each legacy list is decoded once rather than per
  // view; only the Redis keys it leaves behind matter.
  const warm = openSatchel(redisUrl, undefined, { maxEntries: 100_000, maxBytes: 2 ** 31 - 1 })
  await warm.connect()
  await warm.cache.clear()
  const warmDeps = createCampusDeps({
    satchel: warm,
    database,
    logger: pino({ level: 'error' }),
    family,
    contentTtl: BENCH_TTL,
  })
  const warmApp = createApp(warmDeps)
  const q0 = database.queryCount
  let done = 0
  for (const view of mix) {
    await (await warmApp.request(view.path)).arrayBuffer()
    if (++done % 500 === 0) console.log(`  ${family} warm-up ${done}/${mix.length}`)
  }
  const dbQueriesWarmup = database.queryCount - q0
  warmDeps.content.metrics.detach()
  await warm.close()

  const satchel = openSatchel(redisUrl)
  await satchel.connect()
  const deps = createCampusDeps({
    satchel,
    database,
    logger: pino({ level: 'error' }),
    family,
    l1: false,
    contentTtl: BENCH_TTL,
  })
  const app = createApp(deps)
  const raw = new Redis(redisUrl)
  // Payload bytes per view kind, from satchel's read events (the INFO delta is the total).
  let current: string | undefined
  const payloadBytes: Record<string, number> = {}
  const off = satchel.events.on('cache:read', ({ bytes }) => {
    if (current) payloadBytes[current] = (payloadBytes[current] ?? 0) + bytes
  })

  const bytesBefore = await netOutputBytes(raw)
  const queriesBefore = database.queryCount
  const times: number[] = []
  const timesPerKind: Record<string, number[]> = {}
  let non200 = 0
  done = 0
  for (const view of mix) {
    current = view.kind
    const started = performance.now()
    const res = await app.request(view.path)
    await res.arrayBuffer()
    const ms = performance.now() - started
    current = undefined
    if (res.status !== 200) non200++
    times.push(ms)
    const kindTimes = timesPerKind[view.kind] ?? []
    kindTimes.push(ms)
    timesPerKind[view.kind] = kindTimes
    if (++done % 500 === 0) console.log(`  ${family} measured ${done}/${mix.length}`)
  }
  const redisBytesTotal = (await netOutputBytes(raw)) - bytesBefore
  const dbQueries = database.queryCount - queriesBefore
  off()
  deps.content.metrics.detach()
  raw.disconnect()
  await satchel.close()
  const perKind: Record<string, number> = {}
  const counts: Record<string, number> = {}
  for (const v of mix) counts[v.kind] = (counts[v.kind] ?? 0) + 1
  for (const [kind, bytes] of Object.entries(payloadBytes)) {
    perKind[kind] = Math.round(bytes / (counts[kind] ?? 1))
  }
  return {
    views: mix.length,
    non200,
    redisBytesTotal,
    redisBytesPerView: Math.round(redisBytesTotal / mix.length),
    payloadBytesPerKind: perKind,
    dbQueriesWarmup,
    dbQueriesPerView: dbQueries / mix.length,
    serverMs: {
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      p99: percentile(times, 0.99),
      mean: times.reduce((a, b) => a + b, 0) / times.length,
    },
    serverMsPerKind: Object.fromEntries(
      Object.entries(timesPerKind).map(([k, t]) => [
        k,
        { p50: percentile(t, 0.5), p95: percentile(t, 0.95) },
      ]),
    ),
  }
}

/**
 * Requests/s of one path with autocannon, run as a separate process so the load generator does
 * not share campus's event loop.
 */
async function autocannon(
  url: string,
  seconds: number,
): Promise<{ rps: number; p50Ms: number; p99Ms: number; non2xx: number }> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js')
  const { stdout } = await run(
    process.execPath,
    [bin, '-j', '-c', '16', '-d', String(seconds), url],
    {
      maxBuffer: 64 * 2 ** 20,
    },
  )
  const result = JSON.parse(stdout) as {
    requests: { average: number }
    latency: { p50: number; p99: number }
    non2xx: number
  }
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  }
}

async function lessonThroughput(
  database: DatabaseHandle,
  redisUrl: string,
  path: string,
  seconds: number,
): Promise<Record<'cached' | 'uncached', Awaited<ReturnType<typeof autocannon>>>> {
  const out: Partial<Record<'cached' | 'uncached', Awaited<ReturnType<typeof autocannon>>>> = {}
  // cached: the production configuration (bundle loaders, L1 + Redis). uncached: the cache
  // flag off, so every request runs the loaders' database queries.
  for (const mode of ['cached', 'uncached'] as const) {
    const satchel = openSatchel(redisUrl, mode === 'cached' ? 'all' : '-cache')
    await satchel.connect()
    const deps = createCampusDeps({
      satchel,
      database,
      logger: pino({ level: 'error' }),
      contentTtl: BENCH_TTL,
    })
    const app = createApp(deps)
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const url = `http://127.0.0.1:${port}${path}`
    const check = await fetch(url)
    if (check.status !== 200) throw new Error(`${url} answered ${check.status}`)
    await check.arrayBuffer()
    out[mode] = await autocannon(url, seconds)
    console.log(`  lesson page ${mode}: ${Math.round(out[mode].rps)} req/s`)
    await new Promise((resolve) => server.close(resolve))
    deps.content.metrics.detach()
    await satchel.close()
  }
  return out as Record<'cached' | 'uncached', Awaited<ReturnType<typeof autocannon>>>
}

/** Runs the benchmark, prints a table and writes `bench/results/egress.json`. */
export async function egress(options: EgressOptions): Promise<void> {
  const redis = await startRedis()
  const database = await benchDatabase(options.scale)
  try {
    const mix = buildMix(generateDataset({ scale: options.scale }), options.views)
    const families: Record<LoaderFamily, FamilyResult> = {
      legacy: await replay('legacy', database, redis.url, mix),
      bundle: await replay('bundle', database, redis.url, mix),
    }
    for (const [family, r] of Object.entries(families)) {
      // Every view must be a real page: a 404 is cheap and would flatter either side.
      if (r.non200 > 0) throw new Error(`${family}: ${r.non200} views did not answer 200`)
    }
    const lessonPath = mix.find((v) => v.kind === 'lesson')?.path ?? mix[0]!.path
    const lesson = await lessonThroughput(database, redis.url, lessonPath, options.seconds)
    const result = {
      scenario: 'egress',
      at: new Date().toISOString(),
      machine: machine(),
      database: database.kind,
      scale: options.scale,
      views: options.views,
      mixWeights: MIX_WEIGHTS,
      families,
      ratios: {
        redisBytesPerViewLegacyOverBundle:
          families.legacy.redisBytesPerView / Math.max(1, families.bundle.redisBytesPerView),
        serverP50LegacyOverBundle: families.legacy.serverMs.p50 / families.bundle.serverMs.p50,
        lessonCachedOverUncached: lesson.cached.rps / lesson.uncached.rps,
      },
      lessonPage: { path: lessonPath, ...lesson },
    }
    const file = await writeResult('egress', result)
    console.table({
      legacy: summaryRow(families.legacy),
      bundle: summaryRow(families.bundle),
    })
    console.log(
      `bytes/view legacy ÷ bundle: ${result.ratios.redisBytesPerViewLegacyOverBundle.toFixed(1)}×; ` +
        `lesson page cached ÷ uncached: ${result.ratios.lessonCachedOverUncached.toFixed(1)}× ` +
        `(${Math.round(lesson.cached.rps)} vs ${Math.round(lesson.uncached.rps)} req/s)`,
    )
    console.log(`wrote ${file}`)
  } finally {
    await database.close()
    await redis.stop()
  }
}

function summaryRow(r: FamilyResult): Record<string, string | number> {
  return {
    'Redis bytes/view': r.redisBytesPerView,
    'DB queries/view (warm)': r.dbQueriesPerView,
    'server p50 ms': Number(r.serverMs.p50.toFixed(2)),
    'server p95 ms': Number(r.serverMs.p95.toFixed(2)),
    'non-200': r.non200,
  }
}
