import type { WorkerProcess } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { TEST_ADMIN_TOKEN } from '../support/campus.js'
import {
  HAS_SHARED_DATABASE as HAS_DATABASE,
  type SharedCampus,
  startSharedCampus,
} from '../support/campus-workers.js'
import type { WorkerResponse } from '../support/worker-campus.js'

const { lesson } = SMALL_FIXTURES
const LESSON_JSON = `/api/content${lesson.path}`

interface WorkerStats {
  queries: number
  l1Hits: number
  busReceived: number
}

describe('course builder across two campus processes', () => {
  let shared: SharedCampus | undefined
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    if (!HAS_DATABASE) return
    shared = await startSharedCampus({ workers: 2, adminToken: TEST_ADMIN_TOKEN })
    workers = shared.workers
  })
  afterAll(async () => {
    await shared?.stop()
  })

  it.skipIf(!HAS_DATABASE)(
    'a mutation through process A shows on process B’s next page view (needs DATABASE_URL: both processes must share one database)',
    async () => {
      const [a, b] = workers as [WorkerProcess, WorkerProcess]
      const view = async (worker: WorkerProcess) => {
        const res = await worker.call<WorkerResponse>('request', { path: LESSON_JSON })
        expect(res.status).toBe(200)
        return res.body as { lesson: { title: string } }
      }
      // Both render the lesson twice: the second view of each is served from its own L1.
      const original = (await view(a)).lesson.title
      await view(b)
      await view(a)
      const warmB = await b.call<WorkerStats>('stats')
      expect((await view(b)).lesson.title).toBe(original)
      const afterWarmB = await b.call<WorkerStats>('stats')
      expect(afterWarmB.queries).toBe(warmB.queries)
      expect(afterWarmB.l1Hits).toBeGreaterThan(warmB.l1Hits)

      const mutation = await a.call<WorkerResponse>('request', {
        method: 'PATCH',
        path: `/api/admin/course-builder/components/${lesson.id}`,
        body: { title: 'Retitled in process A' },
        token: TEST_ADMIN_TOKEN,
      })
      expect(mutation.status).toBe(200)

      // No waiting: the bus message evicting B's L1 entry left before A answered.
      expect((await view(b)).lesson.title).toBe('Retitled in process A')
      expect((await b.call<WorkerStats>('stats')).busReceived).toBeGreaterThan(
        afterWarmB.busReceived,
      )
      expect((await view(a)).lesson.title).toBe('Retitled in process A')
    },
  )
})
