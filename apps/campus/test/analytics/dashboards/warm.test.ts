/**
 * Warming at start: `startDashboardWarmup` (what `main.ts` runs after listening) loads every
 * organisation's administrator, pending-count and teacher views and the platform view, logs its
 * progress, and the views it warmed then cost no database query. With Redis killed it still
 * resolves (a start never fails on it) and says how it went.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingRepository } from '../../../src/analytics/dashboards/repositories/pending.js'
import { platformRepository } from '../../../src/analytics/dashboards/repositories/platform.js'
import { schoolRepository } from '../../../src/analytics/dashboards/repositories/school.js'
import { teacherRepository } from '../../../src/analytics/dashboards/repositories/teacher.js'
import { startDashboardWarmup } from '../../../src/analytics/dashboards/warm.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { DISTRICT, findCast, SCHOOL_A, SCHOOL_B } from './support.js'

describe('dashboard warm-up at start', () => {
  let redis: RedisServer
  let campus: TestCampus

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({
      redisUrl: redis.url,
      satchel: { timeouts: { commandMs: 200, connectMs: 1000 } },
    })
  }, 120_000)
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('warms every organisation’s views and logs it; warmed views cost no query', async () => {
    const events: number[] = []
    campus.satchel.events.on('cache:warm', (e) => events.push(e.done))
    const result = await startDashboardWarmup(
      { satchel: campus.satchel, db: campus.database.db },
      campus.deps.logger,
    )
    expect(result?.failed).toBe(0)
    const done = campus.logs.find((l) => l.msg === 'dashboards warmed')
    expect(done?.loaded).toBe(result?.loaded)
    expect(campus.logs.filter((l) => l.msg === 'dashboards warming').length).toBeGreaterThan(0)
    expect(events.length).toBe(result?.loaded)

    const repo = { satchel: campus.satchel, db: campus.database.db }
    const cast = await findCast(campus)
    const before = campus.database.queryCount
    for (const orgId of [DISTRICT, SCHOOL_A, SCHOOL_B]) {
      expect((await schoolRepository(repo)(orgId)).orgId).toBe(orgId)
      await pendingRepository(repo)(orgId)
    }
    expect((await teacherRepository(repo)(SCHOOL_A, cast.teacherA)).classes.length).toBeGreaterThan(
      0,
    )
    expect((await platformRepository(repo)()).orgs.length).toBeGreaterThan(0)
    expect(campus.database.queryCount).toBe(before)
  })

  it('resolves without throwing when Redis is down, loading from PostgreSQL', async () => {
    await redis.kill()
    const result = await startDashboardWarmup(
      { satchel: campus.satchel, db: campus.database.db },
      campus.deps.logger,
    )
    expect(result?.loaded).toBeGreaterThan(0)
    expect(campus.logs.filter((l) => l.msg === 'dashboards warmed')).toHaveLength(2)
  })
})
