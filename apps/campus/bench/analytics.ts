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
 * 2. cold: per kind of view (each role's dashboard, a teacher's class report, an
 *    administrator's grade report), the view's entries dropped before each request;
 * 3. warm: per kind, the same session again (served from the cache);
 * 4. mix: after the start-up warm-up runs again (as it does when campus starts), signed-in
 *    sessions of every kind in a realistic proportion (learners' dashboards most, the operator
 *    rarely), a graded-attempt notice every {@link ATTEMPT_EVERY} views (which drops what
 *    `practice/submit.ts`'s notice drops). Hit rate per kind from the cache statistics around
 *    each view (views run one at a time, so each delta is that view's), for the whole run and
 *    for its second half (the steady state, after every session's first view).
 *
 * Uses DATABASE_URL (a private schema, dropped afterwards) when set, else an in-memory PGlite,
 * and a private redis-server. Writes bench/results/analytics.json.
 */
import { loadavg } from 'node:os'
import { sql } from 'drizzle-orm'
import { pino } from 'pino'
import { createSatchel } from 'satchel'
import { startRedis } from 'satchel/testing'
import { announceDataChange } from '../src/analytics/changes.js'
import { dashboardCache } from '../src/analytics/dashboards/cache.js'
import { rowsOf } from '../src/analytics/dashboards/sql.js'
import { startDashboardWarmup } from '../src/analytics/dashboards/warm.js'
import { searchReportsTag } from '../src/analytics/reports/tags.js'
import { createApp } from '../src/app.js'
import type { DatabaseHandle } from '../src/db/client.js'
import { createCampusDeps } from '../src/deps.js'
import { countRows, TABLE_ORDER } from '../src/seed/dataset.js'
import { generateDataset } from '../src/seed/generate.js'
import { createRandom } from '../src/seed/random.js'
import { writeDataset } from '../src/seed/write.js'
import {
  type BenchSession,
  createSessions,
  DASHBOARD_KINDS,
  type Kind,
} from './analytics-sessions.js'
import { openBenchDatabase } from './database.js'
import { machine, percentile, writeResult } from './report.js'

/** Share of views per kind in the mix (learners open their dashboard most). */
const MIX: Record<Kind, number> = {
  student: 0.6,
  teacher: 0.15,
  school: 0.06,
  platform: 0.02,
  classReport: 0.12,
  gradeReport: 0.05,
}
/** A graded attempt is announced after every this many views of the mix. */
const ATTEMPT_EVERY = 25
const COLD_RUNS = 30

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
  const database = await openBenchDatabase('analytics')
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
    // What a cold view of each kind finds: its own entries dropped (the reports' by their tag).
    const dropFor = (s: BenchSession) =>
      DASHBOARD_KINDS.includes(s.kind)
        ? dashboardCache(satchel).clear()
        : satchel.cache.invalidateTags([searchReportsTag(s.orgId)])
    // Hits and misses of one view: the dashboards' namespace for a dashboard, the root cache
    // (less the namespace, which its totals may include) for a report.
    const counters = () => {
      const root = satchel.cache.stats()
      const ns = dashboardCache(satchel).stats()
      return {
        dashboards: { hits: ns.hits.l1 + ns.hits.l2, misses: ns.misses },
        root: { hits: root.hits.l1 + root.hits.l2, misses: root.misses },
      }
    }

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
        await dropFor(s)
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

    // The mix starts as campus does: from what the start-up warm-up loads.
    await dashboardCache(satchel).clear()
    await startDashboardWarmup({ satchel, db: database.db }, { info: () => {}, warn: () => {} })
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
      counters,
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

type Counters = Record<'dashboards' | 'root', { hits: number; misses: number }>

async function runMix(
  views: number,
  sessions: Record<Kind, BenchSession[]>,
  view: (s: BenchSession) => Promise<{ ms: number; queries: number }>,
  attempt: (s: BenchSession) => Promise<void>,
  counters: () => Counters,
) {
  const random = createRandom(42)
  const samples: number[] = []
  let queries = 0
  let attempts = 0
  const tally = () =>
    Object.fromEntries(
      (Object.keys(MIX) as Kind[]).map((k) => [k, { views: 0, hits: 0, misses: 0 }]),
    ) as Record<Kind, { views: number; hits: number; misses: number }>
  const whole = tally()
  const steady = tally()
  for (let i = 0; i < views; i++) {
    const kind = pickKind(random.next())
    const s = random.pick(sessions[kind])
    const before = counters()
    const r = await view(s)
    const after = counters()
    const dashboards = DASHBOARD_KINDS.includes(kind)
    const delta = (field: 'hits' | 'misses') =>
      dashboards
        ? after.dashboards[field] - before.dashboards[field]
        : after.root[field] -
          before.root[field] -
          (after.dashboards[field] - before.dashboards[field])
    for (const t of i >= views / 2 ? [whole, steady] : [whole]) {
      t[kind].views++
      t[kind].hits += delta('hits')
      t[kind].misses += delta('misses')
    }
    samples.push(r.ms)
    queries += r.queries
    if ((i + 1) % ATTEMPT_EVERY === 0) {
      await attempt(random.pick(sessions.student))
      attempts++
    }
  }
  const rate = (t: ReturnType<typeof tally>) => {
    const all = Object.values(t).reduce(
      (a, k) => ({ hits: a.hits + k.hits, misses: a.misses + k.misses }),
      { hits: 0, misses: 0 },
    )
    return {
      hitRate: +(all.hits / Math.max(1, all.hits + all.misses)).toFixed(4),
      byKind: Object.fromEntries(
        Object.entries(t).map(([k, v]) => [
          k,
          { ...v, hitRate: +(v.hits / Math.max(1, v.hits + v.misses)).toFixed(4) },
        ]),
      ),
    }
  }
  return {
    ...summary(samples),
    queriesPerView: +(queries / views).toFixed(3),
    attempts,
    wholeRun: rate(whole),
    secondHalf: rate(steady),
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
