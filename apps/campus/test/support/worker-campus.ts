/**
 * One campus instance in a worker process (started by `startWorkers` from `satchel/testing`), on the Redis at
 * `REDIS_URL` and the database schema `CAMPUS_PG_SCHEMA` at `DATABASE_URL`, both shared with
 * the other workers. Commands: `request` (an in-process HTTP request to the app) and `stats`.
 *
 * @module
 */
import { pino } from 'pino'
import { createSatchel } from 'satchel'
import { serveCommands } from 'satchel/testing'
import { createApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/client.js'
import { createCampusDeps } from '../../src/deps.js'
import { TEST_TIMEOUTS } from './campus.js'

const { REDIS_URL, DATABASE_URL, CAMPUS_PG_SCHEMA, ADMIN_TOKEN } = process.env
if (!REDIS_URL || !DATABASE_URL) throw new Error('worker-campus needs REDIS_URL and DATABASE_URL')

const database = await openDatabase({ url: DATABASE_URL, pgSchema: CAMPUS_PG_SCHEMA, poolSize: 2 })
const satchel = createSatchel({ redis: REDIS_URL, prefix: 'campus', timeouts: TEST_TIMEOUTS })
await satchel.connect()
const deps = createCampusDeps({
  satchel,
  database,
  logger: pino({ level: 'silent' }),
  adminToken: ADMIN_TOKEN,
})
const app = createApp(deps)

// The bus subscribes on the cache's first use and clears L1 once it is up (entries cached
// before may have missed messages). Subscribe before answering the parent, so the test's "warm
// L1" is not wiped under it.
await satchel.cache.get(satchel.keys.global('worker-warmup'))
// `subscribed` is reported at run time but not part of the public stats type.
const subscribed = (): boolean =>
  (satchel.stats().cache.bus as { subscribed?: boolean } | null)?.subscribed === true
for (let waited = 0; !subscribed(); waited += 10) {
  if (waited > 10_000) throw new Error('the cache bus did not subscribe within 10 s')
  await new Promise((resolve) => setTimeout(resolve, 10))
}

/** What `request` answers. */
export interface WorkerResponse {
  status: number
  body: unknown
}

serveCommands({
  async request(args: {
    method?: string
    path: string
    body?: unknown
    token?: string
    headers?: Record<string, string>
  }) {
    const res = await app.request(args.path, {
      method: args.method ?? 'GET',
      headers: {
        ...(args.token ? { authorization: `Bearer ${args.token}` } : {}),
        ...(args.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...args.headers,
      },
      ...(args.body === undefined ? {} : { body: JSON.stringify(args.body) }),
    })
    const text = await res.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body } satisfies WorkerResponse
  },
  stats: () => ({
    sessionIndex: deps.auth.sessions.index.stats(),
    queries: database.queryCount,
    l1Hits: satchel.stats().l1.hits,
    busReceived: satchel.stats().cache.bus?.received ?? 0,
  }),
})
