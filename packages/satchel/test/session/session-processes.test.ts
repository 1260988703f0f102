import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { tokenHash } from '../../src/session/index.js'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { openTestDatabase, type TestDatabase, uniqueName } from '../db.js'
import { SessionTable, scanKeys } from './fixtures.js'

const WORKER = new URL('../workers/session-worker.ts', import.meta.url)
const DATABASE_URL = process.env.DATABASE_URL
// Every process must reach the same database, which an in-process PGlite cannot be.
const NEEDS_DB = '(needs DATABASE_URL: every process must reach one database)'
// A functional test of the read-through across processes, not of the 50 ms contract: on a
// loaded machine a read that outlives 50 ms is (correctly) answered by the database without a
// write-back, which is the failure policy, not what this test is about.
const COMMAND_MS = 2000

describe('session index across processes', () => {
  let server: RedisServer
  let raw: Redis
  let db: TestDatabase
  let table: SessionTable
  let satchel: Satchel
  let workers: WorkerProcess[] = []
  const prefix = uniqueName('sessp')

  beforeAll(async () => {
    if (!DATABASE_URL) return
    server = await startRedis()
    raw = new Redis(server.url)
    db = await openTestDatabase(DATABASE_URL)
    table = new SessionTable(db)
    await table.create()
    satchel = createSatchel({ redis: server.url, prefix, timeouts: { commandMs: COMMAND_MS } })
    workers = await startWorkers(2, WORKER, {
      env: {
        REDIS_URL: server.url,
        DATABASE_URL,
        PREFIX: prefix,
        TABLE: table.name,
        COMMAND_MS: String(COMMAND_MS),
      },
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    await satchel?.close()
    raw?.disconnect()
    await table?.drop()
    await db?.close()
    await server?.stop()
  })

  it.skipIf(!DATABASE_URL)(
    `10 logins read through by two processes at once, then revoke-all from a third, leave no copy ${NEEDS_DB}`,
    async () => {
      const tokens = await Promise.all(Array.from({ length: 10 }, () => table.login('u-procs')))
      const halves = [tokens.slice(0, 5), tokens.slice(5)]
      const replies = await Promise.all(
        workers.map((w, i) =>
          w.call<{ users: (string | null)[]; writes: number }>('getAll', { tokens: halves[i] }),
        ),
      )
      for (const r of replies) {
        expect(r).toEqual({ users: Array(5).fill('u-procs'), writes: 5, fallbacks: 0 })
      }
      const index = `${prefix}:sess:user:{u-procs}`
      expect(await raw.zcard(index)).toBe(10)

      const sessions = satchel.sessionIndex(table.options())
      await table.revokeUser('u-procs')
      expect(await sessions.invalidateUser('u-procs')).toEqual({ ok: true, deleted: 10 })
      const left = await scanKeys(raw, prefix)
      for (const t of tokens) expect(left).not.toContain(`${prefix}:sess:{${tokenHash(t)}}`)
      expect(left).not.toContain(index)
      const again = await Promise.all(
        workers.map((w, i) =>
          w.call<{ users: (string | null)[] }>('getAll', { tokens: halves[i] }),
        ),
      )
      for (const r of again) expect(r.users).toEqual(Array(5).fill(null))
    },
  )
})
