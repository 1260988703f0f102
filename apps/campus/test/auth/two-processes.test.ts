import type { WorkerProcess } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disableUser } from '../../src/auth/accounts.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import {
  HAS_SHARED_DATABASE as HAS_DATABASE,
  type SharedCampus,
  startSharedCampus,
} from '../support/campus-workers.js'
import type { WorkerResponse } from '../support/worker-campus.js'
import { ACCOUNTS, postEmpty, signIn } from './support.js'

interface WorkerStats {
  sessionIndex: { hits: number; misses: number }
}

describe('session revocation across two campus processes', () => {
  let shared: SharedCampus | undefined
  let campus: TestCampus | undefined
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    if (!HAS_DATABASE) return
    shared = await startSharedCampus({
      workers: 1,
      // This process's campus must be up (and the demo accounts exist) before the worker.
      prepare: async (database, redis) => {
        await seedDemoAccounts(database.db)
        campus = await startTestCampus({ redisUrl: redis.url, database })
      },
    })
    workers = shared.workers
  })
  afterAll(async () => {
    await campus?.close()
    await shared?.stop()
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
