/**
 * `npm run bench -w campus -- analytics [--scale small|large] [--views N]`
 *
 * Dashboard server time, hit rate and database queries per view, on the seeded data set (large
 * by default: its activity is the realistic volume). Measured in process (`app.request`, no
 * socket), so the figures are campus's own time: session lookup, access check, cached
 * repositories, rendering with the SVG charts. Database queries are counted by the database
 * handle's query logger (`DatabaseHandle.queryCount`, every statement Drizzle sends).
 *
 * 1. seeding time (generate + write), and the start-up warm-up (every organisation's views);
 * 2. cold: per role, the view's entries deleted before each request (loaded from PostgreSQL);
 * 3. warm: per role, the same sessions again (served from the cache);
 * 4. mix: signed-in sessions of every role in a realistic proportion (students most, the
 *    operator rarely), a graded-attempt notice every {@link ATTEMPT_EVERY} views (which drops
 *    that learner's and their teachers' views, as `practice/submit.ts` does); hit rate from the
 *    dashboards namespace's statistics.
 *
 * Uses DATABASE_URL (a private schema, dropped afterwards) when set, else an in-memory PGlite,
 * and a private redis-server. Writes bench/results/analytics.json.
 */
import { loadavg } from 'node:os'
import { sql } from 'drizzle-orm'
import { pino } from 'pino'
import { type CacheNamespaceStats, createSatchel } from 'satchel'
import { startRedis } from 'satchel/testing'
import { announceDataChange } from '../src/analytics/changes.js'
import { dashboardCache } from '../src/analytics/dashboards/cache.js'
import { rowsOf } from '../src/analytics/dashboards/sql.js'
import { startDashboardWarmup } from '../src/analytics/dashboards/warm.js'
import { createApp } from '../src/app.js'
import { type DatabaseHandle, openDatabase } from '../src/db/client.js'
import { createCampusDeps } from '../src/deps.js'
import { countRows, TABLE_ORDER } from '../src/seed/dataset.js'
import { generateDataset } from '../src/seed/generate.js'
import { createRandom } from '../src/seed/random.js'
import { writeDataset } from '../src/seed/write.js'
import { type BenchSession, createSessions, type Kind } from './analytics-sessions.js'
import { machine, percentile, writeResult } from './report.js'

/** Share of views per role in the mix (learners open their dashboard most). */
const MIX = { student: 0.7, teacher: 0.2, school: 0.08, platform: 0.02 } as const
/** A graded attempt is announced after every this many views of the mix. */
const ATTEMPT_EVERY = 25
const COLD_RUNS = 30

/**
 * HOOK for report views: another branch adds `/api/reports/...`. Push its sessions' paths here
 * (kind and weight of its own) and they join the cold/warm/mix measurements like the dashboards.
 */
const REPORT_VIEWS: { kind: string; weight: number; sessions: BenchSession[] }[] = []

async function openBenchDatabase(): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL
  if (!url) return Object.assign(await openDatabase(), { drop: async () => {} })
  const schema = `campus_bench_analytics_${process.pid}`
  const handle = await openDatabase({ url, pgSchema: schema, poolSize: 10 })
  return Object.assign(handle, {
    async drop() {
      const pg = await import('pg')
      const client = new pg.default.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    },
  })
}

function summary(samples: number[]) {
  return {
    n: samples.length,
    p50Ms: +percentile(samples, 0.5).toFixed(3),
    p95Ms: +percentile(samples, 0.95).toFixed(3),
    p99Ms: +percentile(samples, 0.99).toFixed(3),
  }
}

/** Runs the analytics benchmark. */
export async function analyticsBench(options: { scale: 'small' | 'large'; views: number }) {
  const redis = await startRedis()
  const database = await openBenchDatabase()
  const satchel = createSatchel({ redis: redis.url, prefix: 'campus' })
  await satchel.connect()
  try {
    const seedStarted = performance.now()
    const dataset = generateDataset({ scale: options.scale })
    const generatedMs = performance.now() - seedStarted
    await writeDataset(database.db, dataset)
    const seedMs = performance.now() - seedStarted
    const rows = countRows(dataset)
    console.log(
      `seeded ${options.scale}: ${TABLE_ORDER.reduce((s, n) => s + rows[n], 0)} rows in ${(seedMs / 1000).toFixed(1)} s (generate ${(generatedMs / 1000).toFixed(1)} s)`,
    )
    const deps = createCampusDeps({ satchel, database, logger: pino({ level: 'silent' }) })
    const app = createApp(deps)
    const sessions = await createSessions(deps, database)

    const warmStarted = performance.now()
    const warmed = await startDashboardWarmup(
      { satchel, db: database.db },
      { info: () => {}, warn: () => {} },
    )
    const warmUp = { entries: warmed?.loaded ?? 0, ms: Math.round(performance.now() - warmStarted) }
    console.log(`warm-up at start: ${warmUp.entries} entries in ${warmUp.ms} ms`)
    await dashboardCache(satchel).clear()

    const view = async (s: BenchSession) => {
      const before = database.queryCount
      const started = performance.now()
      const res = await app.request(s.path, { headers: { cookie: s.cookie } })
      await res.text()
      const ms = performance.now() - started
      if (res.status !== 200) throw new Error(`${s.path} answered ${res.status}`)
      return { ms, queries: database.queryCount - before }
    }
    // Every session's first request fills the session index; not part of any figure.
    for (const s of Object.values(sessions).flat()) await view(s)

    const byKind: Record<string, unknown> = {}
    for (const kind of Object.keys(sessions) as Kind[]) {
      const list = sessions[kind]
      const cold: number[] = []
      const coldQueries: number[] = []
      for (let i = 0; i < COLD_RUNS; i++) {
        const s = list[i % list.length] as BenchSession
        await dashboardCache(satchel).clear()
        const r = await view(s)
        cold.push(r.ms)
        coldQueries.push(r.queries)
      }
      const warm: number[] = []
      const warmQueries: number[] = []
      const s = list[0] as BenchSession
      await view(s)
      for (let i = 0; i < Math.min(options.views, 500); i++) {
        const r = await view(s)
        warm.push(r.ms)
        warmQueries.push(r.queries)
      }
      byKind[kind] = {
        cold: summary(cold),
        coldQueriesPerView: mean(coldQueries),
        warm: summary(warm),
        warmQueriesPerView: mean(warmQueries),
      }
    }

    await dashboardCache(satchel).clear()
    const mix = await runMix(
      options.views,
      sessions,
      view,
      async (s) => {
        await announceDataChange(
          { satchel, db: database.db, logger: { warn: () => {} } },
          {
            kind: 'attempt',
            orgId: s.orgId,
            userId: s.userId,
            courseId: await courseOf(database, s.userId),
          },
        )
      },
      () => dashboardCache(satchel).stats(),
    )
    const stats = dashboardCache(satchel).stats()
    const result = {
      machine: machine(),
      load: loadAverage(),
      database: database.kind,
      scale: options.scale,
      rows,
      seed: {
        seconds: +(seedMs / 1000).toFixed(1),
        generateSeconds: +(generatedMs / 1000).toFixed(1),
      },
      warmUp,
      sessions: Object.fromEntries(Object.entries(sessions).map(([k, v]) => [k, v.length])),
      byKind,
      mix,
      namespaceHitRateWholeRun: +stats.hitRate.toFixed(4),
      reportViews: REPORT_VIEWS.map((r) => r.kind),
    }
    console.table(
      Object.fromEntries(
        Object.entries(byKind).map(([k, v]) => {
          const f = v as {
            cold: { p50Ms: number; p95Ms: number }
            warm: { p50Ms: number; p95Ms: number }
            coldQueriesPerView: number
            warmQueriesPerView: number
          }
          return [
            k,
            {
              coldP50: f.cold.p50Ms,
              coldP95: f.cold.p95Ms,
              warmP50: f.warm.p50Ms,
              warmP95: f.warm.p95Ms,
              coldQ: f.coldQueriesPerView,
              warmQ: f.warmQueriesPerView,
            },
          ]
        }),
      ),
    )
    console.log(`mix: ${JSON.stringify(result.mix)}`)
    console.log(`written: ${await writeResult('analytics', result)}`)
    deps.adminArea.close()
    deps.content.metrics.detach()
    deps.opsMetrics.detach()
    await deps.auth.background.settled()
  } finally {
    await satchel.close()
    await database.close()
    await database.drop()
    await redis.stop()
  }
}

async function runMix(
  views: number,
  sessions: Record<Kind, BenchSession[]>,
  view: (s: BenchSession) => Promise<{ ms: number; queries: number }>,
  attempt: (s: BenchSession) => Promise<void>,
  stats: () => CacheNamespaceStats,
) {
  const random = createRandom(42)
  const samples: number[] = []
  let queries = 0
  let attempts = 0
  const counted = () => {
    const st = stats()
    return { hits: st.hits.l1 + st.hits.l2, misses: st.misses }
  }
  const before = counted()
  for (let i = 0; i < views; i++) {
    const kind = pickKind(random.next())
    const s = random.pick(sessions[kind])
    const r = await view(s)
    samples.push(r.ms)
    queries += r.queries
    if ((i + 1) % ATTEMPT_EVERY === 0) {
      await attempt(random.pick(sessions.student))
      attempts++
    }
  }
  const after = counted()
  const hits = after.hits - before.hits
  const misses = after.misses - before.misses
  return {
    ...summary(samples),
    queriesPerView: +(queries / views).toFixed(3),
    attempts,
    hits,
    misses,
    hitRate: +(hits / Math.max(1, hits + misses)).toFixed(4),
  }
}

/** The kind whose share of {@link MIX} the roll (0–1) falls in. */
function pickKind(roll: number): Kind {
  let left = roll
  for (const kind of Object.keys(MIX) as Kind[]) {
    left -= MIX[kind]
    if (left < 0) return kind
  }
  return 'student'
}

function mean(values: number[]): number {
  return +(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)).toFixed(3)
}

/** 1, 5 and 15-minute load averages when the run started its measurements. */
function loadAverage(): number[] {
  return loadavg().map((n) => +n.toFixed(2))
}

async function courseOf(database: DatabaseHandle, userId: string): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    database.db,
    sql`select c.course_sourced_id as id from enrollments e join classes c on c.sourced_id = e.class_sourced_id
        where e.user_sourced_id = ${userId} and e.role = 'student' order by 1 limit 1`,
  )
  return row?.id ?? ''
}
