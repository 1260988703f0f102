import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disableUser } from '../../src/auth/accounts.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import type { WorkerResponse } from '../support/worker-campus.js'
import { ACCOUNTS, postEmpty, signIn } from './support.js'

const WORKER = new URL('../support/worker-campus.ts', import.meta.url)
const HAS_DATABASE = Boolean(process.env.DATABASE_URL)

interface WorkerStats {
  sessionIndex: { hits: number; misses: number }
}

describe('session revocation across two campus processes', () => {
  let redis: RedisServer | undefined
  let database: CampusTestDatabase | undefined
  let campus: TestCampus | undefined
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    if (!HAS_DATABASE) return
    redis = await startRedis()
    database = await openCampusTestDatabase()
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
    await seedDemoAccounts(database.db)
    campus = await startTestCampus({ redisUrl: redis.url, database })
    workers = await startWorkers(1, WORKER, {
      readyTimeoutMs: 30_000,
      env: {
        REDIS_URL: redis.url,
        DATABASE_URL: database.url ?? '',
        CAMPUS_PG_SCHEMA: database.pgSchema ?? '',
      },
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    await campus?.close()
    await database?.close()
    await redis?.stop()
  })

  const sessionOn = async (worker: WorkerProcess, cookie: string) =>
    (
      await worker.call<WorkerResponse>('request', {
        path: '/api/auth/session',
        headers: { cookie },
      })
    ).status

  it.skipIf(!HAS_DATABASE)(
    'logout everywhere in process A signs the user out of process B on its next request (needs DATABASE_URL: both processes share one database)',
    async () => {
      const app = (campus as TestCampus).app
      const [b] = workers as [WorkerProcess]
      const cookie = await signIn(app, ACCOUNTS.teacher)
      // B reads it twice: the second answer comes from the shared index, so B really holds a
      // cached copy when A revokes.
      expect(await sessionOn(b, cookie)).toBe(200)
      const warm = await b.call<WorkerStats>('stats')
      expect(await sessionOn(b, cookie)).toBe(200)
      expect((await b.call<WorkerStats>('stats')).sessionIndex.hits).toBe(
        warm.sessionIndex.hits + 1,
      )
      const res = await postEmpty(app, '/api/auth/logout-everywhere', { cookie })
      expect(res.status).toBe(200)
      expect(await sessionOn(b, cookie)).toBe(401)
    },
  )

  it.skipIf(!HAS_DATABASE)(
    'disabling an account in process A ends its sessions in process B',
    async () => {
      const t = campus as TestCampus
      const [b] = workers as [WorkerProcess]
      const cookie = await signIn(t.app, ACCOUNTS.student)
      expect(await sessionOn(b, cookie)).toBe(200)
      expect(await sessionOn(b, cookie)).toBe(200)
      await disableUser(t.deps, 'usr-demo-school01-student')
      expect(await sessionOn(b, cookie)).toBe(401)
    },
  )
})
