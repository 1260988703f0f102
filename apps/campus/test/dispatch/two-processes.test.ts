/**
 * The registration cap under concurrent launches from two campus processes sharing one
 * PostgreSQL (DATABASE_URL) and one Redis: every learner launches once, at the same time, half
 * through each process; exactly `CAP` launches get a registration and every other one is
 * refused with E_DISPATCH_CAP_REACHED.
 */
import { pino } from 'pino'
import { createSatchel, type Satchel } from 'satchel'
import type { WorkerProcess } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CAP_COUNTER_SETTLE_MS } from '../../src/dispatch/cap-counters.js'
import { loadCourse } from '../../src/dispatch/courses.js'
import { createDispatchRuntime } from '../../src/dispatch/runtime.js'
import { SCHOOL_A } from '../admin-area/support.js'
import { TEST_ADMIN_TOKEN, TEST_TIMEOUTS } from '../support/campus.js'
import {
  HAS_SHARED_DATABASE as HAS_DATABASE,
  type SharedCampus,
  startSharedCampus,
} from '../support/campus-workers.js'
import type { WorkerResponse } from '../support/worker-campus.js'
import { dispatchFixture, LMS_ORIGIN, registrationsOf } from './support.js'

const CAP = 7
const LEARNERS = 40

describe('dispatch registration cap across two campus processes', () => {
  let shared: SharedCampus | undefined
  let satchel: Satchel | undefined
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    if (!HAS_DATABASE) return
    shared = await startSharedCampus({ workers: 2, adminToken: TEST_ADMIN_TOKEN })
    workers = shared.workers
    satchel = createSatchel({ redis: shared.redis.url, prefix: 'campus', timeouts: TEST_TIMEOUTS })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await shared?.stop()
  })

  it.skipIf(!HAS_DATABASE)(
    `${LEARNERS} concurrent launches against a cap of ${CAP} register exactly ${CAP} learners (needs DATABASE_URL: both processes must share one database)`,
    async () => {
      if (!shared || !satchel) throw new Error('not set up')
      const db = shared.database.db
      const rt = createDispatchRuntime({
        db,
        satchel,
        logger: pino({ level: 'silent' }),
        loadCourse: (orgId, packageId) => loadCourse(db, orgId, packageId),
      })
      const f = await dispatchFixture(rt, SCHOOL_A, { dispatch: { registrationCap: CAP } })
      const results = await Promise.all(
        Array.from({ length: LEARNERS }, (_, i) =>
          (workers[i % 2] as WorkerProcess).call<WorkerResponse>('request', {
            method: 'POST',
            path: `/api/dispatch/${f.dispatch.id}/launch`,
            body: { key: f.key, learnerId: `learner-${i}` },
            headers: { origin: LMS_ORIGIN },
          }),
        ),
      )
      const statuses = results.map((r) => r.status)
      expect(statuses.filter((s) => s === 201)).toHaveLength(CAP)
      expect(statuses.filter((s) => s === 409)).toHaveLength(LEARNERS - CAP)
      for (const r of results.filter((x) => x.status === 409)) {
        expect((r.body as { code: string }).code).toBe('E_DISPATCH_CAP_REACHED')
      }
      expect(await registrationsOf(db, f.dispatch.id)).toBe(CAP)
      // The counter is the fast path, not the authority: a launch whose increment raced another
      // process's recount leaves it one off until the settle window has passed, and the first
      // read after that recounts (satchel's counter contract). The launches above started its
      // recounts, so it must answer CAP once that window is over.
      await vi.waitFor(async () => expect(await rt.caps.dispatches.get(f.dispatch.id)).toBe(CAP), {
        timeout: CAP_COUNTER_SETTLE_MS * 3,
        interval: 200,
      })
    },
  )
})
