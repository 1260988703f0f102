import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Counter } from '../../src/counter/index.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { openTestDatabase, type TestDatabase, uniqueName } from '../db.js'
import { FUNCTIONAL_COMMAND_MS, sleep } from '../helpers.js'
import { CountedTable } from './fixtures.js'

const WORKER = new URL('../workers/counter-worker.ts', import.meta.url)
const SETTLE_MS = 300
const DATABASE_URL = process.env.DATABASE_URL

// Every process must reach the same database, which an in-process PGlite cannot be.
const NEEDS_DB = '(needs DATABASE_URL: every process must reach one database)'

describe('counter across processes', () => {
  let server: RedisServer
  let db: TestDatabase
  let table: CountedTable
  let satchel: Satchel
  let counter: Counter
  let workers: WorkerProcess[] = []
  const prefix = uniqueName('cntp')

  beforeAll(async () => {
    if (!DATABASE_URL) return
    server = await startRedis()
    db = await openTestDatabase(DATABASE_URL)
    table = new CountedTable(db)
    await table.create()
    satchel = createSatchel({
      redis: server.url,
      prefix,
      timeouts: { commandMs: FUNCTIONAL_COMMAND_MS },
    })
    counter = satchel.counter({ name: 'pending', count: (o) => table.count(o), settle: SETTLE_MS })
    workers = await startWorkers(4, WORKER, {
      env: {
        REDIS_URL: server.url,
        DATABASE_URL: DATABASE_URL as string,
        PREFIX: prefix,
        TABLE: table.name,
        SETTLE_MS: String(SETTLE_MS),
      },
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    await satchel?.close()
    await table?.drop()
    await db?.close()
    await server?.stop()
  })

  it.skipIf(!DATABASE_URL)(
    `a worker SIGKILLed between its commit and its incr leaves drift; reconcile restores the database count ${NEEDS_DB}`,
    async () => {
      const org = 'o-crash'
      expect(await counter.get(org)).toBe(0)
      await sleep(SETTLE_MS + 20) // past the priming recount's settle window
      const [victim, ...rest] = workers as [WorkerProcess, ...WorkerProcess[]]
      const applied = await Promise.all([
        ...rest.map((w) => w.call<number>('churn', { orgId: org, n: 20, maxDelayMs: 2 })),
        victim.call('commitThenDie', { orgId: org }).catch((e: unknown) => e),
      ])
      expect(await victim.exited).toBeNull() // killed by the signal
      const n = 20 * rest.length + 1
      expect(applied.slice(0, rest.length)).toEqual(rest.map(() => 20))
      expect(await table.count(org)).toBe(n)
      expect(await counter.get(org)).toBe(n - 1) // drifted: one increment never happened
      expect(await counter.reconcile(org)).toEqual({
        before: n - 1,
        after: n,
        drift: -1,
        stored: true,
        raced: false,
      })
      expect(await counter.get(org)).toBe(n)
      workers = rest
    },
  )

  it.skipIf(!DATABASE_URL)(
    `recounts racing increments from several processes converge to the database count ${NEEDS_DB}`,
    async () => {
      const org = 'o-procs'
      let running = true
      const reconciling = (async () => {
        while (running) {
          await counter.reconcile(org)
          await counter.get(org)
        }
      })()
      await Promise.all(workers.map((w) => w.call('churn', { orgId: org, n: 25, maxDelayMs: 5 })))
      running = false
      await reconciling
      await sleep(SETTLE_MS + 20) // quiescence
      const n = 25 * workers.length
      expect(await table.count(org)).toBe(n)
      expect(await counter.get(org)).toBe(n)
    },
  )
})
