/**
 * `npm run bench -w campus -- auth [--seconds S]`
 *
 * 1. Session lookup latency: the same live sessions looked up through satchel's session index
 *    (Redis copy, database on a miss) and from the database alone, serially, p50/p99.
 * 2. Sign-in under credential stuffing: autocannon sends many passwords against three accounts
 *    from many IPs (X-Forwarded-For through a trusted proxy) while legitimate users sign in to
 *    other accounts beside it. Run with the rate limits on and with the `rate_limit` flag off:
 *    attack requests denied, legitimate success rate and p99.
 *
 * Uses DATABASE_URL (a private schema) when set, else an in-memory PGlite, and a private
 * redis-server. Writes bench/results/auth.json.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import autocannon from 'autocannon'
import { pino } from 'pino'
import { createSatchel, type Satchel } from 'satchel'
import { startRedis } from 'satchel/testing'
import { createApp } from '../src/app.js'
import type { DatabaseHandle } from '../src/db/client.js'
import { createCampusDeps } from '../src/deps.js'
import { DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/accounts.js'
import { generateDataset } from '../src/seed/generate.js'
import { writeDataset } from '../src/seed/write.js'
import { openBenchDatabase } from './database.js'
import { machine, percentile, writeResult } from './report.js'

const LOOKUPS = 3000
const SESSIONS = 200

function stats(samples: number[]) {
  return {
    p50Ms: +percentile(samples, 0.5).toFixed(3),
    p99Ms: +percentile(samples, 0.99).toFixed(3),
    meanMs: +(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(3),
  }
}

function campusOn(satchel: Satchel, database: DatabaseHandle) {
  return createCampusDeps({
    satchel,
    database,
    logger: pino({ level: 'silent' }),
    auth: { trustedProxies: ['127.0.0.1'] },
  })
}

async function sessionLookups(satchel: Satchel, database: DatabaseHandle) {
  const deps = campusOn(satchel, database)
  const { sessions } = deps.auth
  const tokens: string[] = []
  const users = [
    'usr-demo-school01-student',
    'usr-demo-school01-teacher',
    'usr-demo-school02-student',
  ]
  for (let i = 0; i < SESSIONS; i++) {
    const userId = users[i % users.length] as string
    const role = userId.endsWith('teacher') ? 'teacher' : 'student'
    const orgId = userId.includes('school01') ? 'org-school-01' : 'org-school-02'
    tokens.push((await sessions.create({ userId, orgId, role })).token)
  }
  // Warm both paths (the index's first read of each token is a miss that fills it).
  for (const token of tokens) {
    await sessions.lookup(token)
    await sessions.lookupFromDatabase(token)
  }
  const measure = async (lookup: (token: string) => Promise<unknown>) => {
    const samples: number[] = []
    for (let i = 0; i < LOOKUPS; i++) {
      const token = tokens[(i * 7919) % tokens.length] as string
      const started = performance.now()
      if (!(await lookup(token))) throw new Error('session lookup failed')
      samples.push(performance.now() - started)
    }
    return stats(samples)
  }
  // Interleaved rounds, so load on the shared machine hits both alike.
  const rounds = 3
  const indexRuns = []
  const dbRuns = []
  for (let r = 0; r < rounds; r++) {
    indexRuns.push(await measure((t) => sessions.lookup(t)))
    dbRuns.push(await measure((t) => sessions.lookupFromDatabase(t)))
  }
  const median = (runs: ReturnType<typeof stats>[], key: 'p50Ms' | 'p99Ms') =>
    [...runs.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number
  const indexStats = sessions.index.stats()
  return {
    lookupsPerRound: LOOKUPS,
    rounds,
    index: {
      p50Ms: median(indexRuns, 'p50Ms'),
      p99Ms: median(indexRuns, 'p99Ms'),
      runs: indexRuns,
    },
    database: { p50Ms: median(dbRuns, 'p50Ms'), p99Ms: median(dbRuns, 'p99Ms'), runs: dbRuns },
    indexHitRate: +(indexStats.hits / Math.max(1, indexStats.hits + indexStats.misses)).toFixed(4),
  }
}

interface StuffingResult {
  rateLimits: boolean
  seconds: number
  attack: {
    requests: number
    denied429: number
    rejected401: number
    accepted200: number
    rps: number
  }
  legitimate: {
    attempts: number
    succeeded: number
    successRate: number
    p50Ms: number
    p99Ms: number
  }
}

async function stuffing(
  satchel: Satchel,
  database: DatabaseHandle,
  seconds: number,
  rateLimits: boolean,
): Promise<StuffingResult> {
  const app = createApp(campusOn(satchel, database))
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const victims = [
    'admin.school01@campus.example',
    'teacher.school02@campus.example',
    'student.school03@campus.example',
  ]
  const users = [
    'teacher.school01@campus.example',
    'student.school01@campus.example',
    'admin.school02@campus.example',
    'student.school02@campus.example',
    'teacher.school03@campus.example',
  ]
  let n = 0
  const attack = autocannon({
    url: base,
    connections: 16,
    duration: seconds,
    // A sign-in that reaches scrypt can queue for seconds on a loaded machine; count it, do
    // not drop it.
    timeout: 120,
    requests: [
      {
        method: 'POST',
        path: '/api/auth/login',
        setupRequest(req) {
          n++
          const ip = `100.64.${(n >> 8) & 255}.${n & 255}`
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
            body: JSON.stringify({ email: victims[n % victims.length], password: `guess-${n}` }),
          }
        },
      },
    ],
  })
  // Legitimate users: one at a time, each from its own address, with the right password.
  const latencies: number[] = []
  let attempts = 0
  let succeeded = 0
  const until = Date.now() + seconds * 1000
  while (Date.now() < until) {
    const email = users[attempts % users.length] as string
    attempts++
    const started = performance.now()
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.9.0.${attempts % 250}`,
      },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    })
    await res.arrayBuffer()
    latencies.push(performance.now() - started)
    if (res.status === 200) succeeded++
  }
  const result = await attack
  await new Promise((resolve) => server.close(resolve))
  const codes = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>
  return {
    rateLimits,
    seconds,
    attack: {
      requests: result.requests.total,
      denied429: codes['429']?.count ?? 0,
      rejected401: codes['401']?.count ?? 0,
      accepted200: codes['200']?.count ?? 0,
      rps: Math.round(result.requests.average),
    },
    legitimate: {
      attempts,
      succeeded,
      successRate: +(succeeded / Math.max(1, attempts)).toFixed(4),
      p50Ms: +percentile(latencies, 0.5).toFixed(1),
      p99Ms: +percentile(latencies, 0.99).toFixed(1),
    },
  }
}

/** Runs both parts and prints a table. */
export async function authBench(options: { seconds: number }): Promise<void> {
  const redis = await startRedis()
  const database = await openBenchDatabase('auth')
  try {
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
    await seedDemoAccounts(database.db)
    const on = createSatchel({
      redis: redis.url,
      prefix: 'bench-auth',
      timeouts: { commandMs: 50, connectMs: 1000 },
    })
    await on.connect()
    const lookups = await sessionLookups(on, database)
    console.log('\nsession lookup (serial, ms)')
    console.log(
      `  index    p50 ${lookups.index.p50Ms}  p99 ${lookups.index.p99Ms}  (hit rate ${lookups.indexHitRate})`,
    )
    console.log(`  database p50 ${lookups.database.p50Ms}  p99 ${lookups.database.p99Ms}`)
    const limited = await stuffing(on, database, options.seconds, true)
    await on.close()
    const off = createSatchel({
      redis: redis.url,
      prefix: 'bench-auth-off',
      flags: 'cache,session_index,locking,idempotency,counters',
      timeouts: { commandMs: 50, connectMs: 1000 },
    })
    await off.connect()
    const unlimited = await stuffing(off, database, options.seconds, false)
    await off.close()
    console.log('\ncredential stuffing (16 attack connections, legitimate users serial)')
    for (const r of [limited, unlimited]) {
      console.log(
        `  rate limits ${r.rateLimits ? 'on ' : 'off'}: attack ${r.attack.requests} req (${r.attack.rps}/s), 429 ${r.attack.denied429}, 401 ${r.attack.rejected401}, 200 ${r.attack.accepted200}; legitimate ${r.legitimate.succeeded}/${r.legitimate.attempts} ok, p50 ${r.legitimate.p50Ms} ms, p99 ${r.legitimate.p99Ms} ms`,
      )
    }
    const path = await writeResult('auth', {
      at: new Date().toISOString(),
      machine: machine(),
      database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
      sessionLookup: lookups,
      credentialStuffing: [limited, unlimited],
    })
    console.log(`\nwrote ${path}`)
  } finally {
    await database.close()
    await database.drop()
    await redis.stop()
  }
}
