/**
 * Redis is never the authority: with the Redis server killed, every dashboard still answers
 * from PostgreSQL, and the operator's view says Redis is down.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformView } from '../../../src/analytics/dashboards/pages/platform.js'
import type { SchoolView } from '../../../src/analytics/dashboards/pages/school.js'
import type { StudentDashboard } from '../../../src/analytics/dashboards/repositories/student.js'
import type { TeacherDashboard } from '../../../src/analytics/dashboards/repositories/teacher.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { DISTRICT, findCast, get, getJson, SCHOOL_A, signIn } from './support.js'

describe('dashboards while Redis is down', () => {
  let redis: RedisServer
  let campus: TestCampus

  beforeAll(async () => {
    redis = await startRedis()
    // Short Redis bounds: a dead server must cost a request little. No L1, so every read after
    // the kill must go to Redis (and fail over to PostgreSQL), not to this process's memory.
    campus = await startTestCampus({
      redisUrl: redis.url,
      l1: false,
      satchel: { timeouts: { commandMs: 200, connectMs: 1000 }, cache: { l1: false } },
    })
  }, 120_000)
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('answers every view from PostgreSQL', async () => {
    const cast = await findCast(campus)
    const learner = (await signIn(campus, cast.learnerA, SCHOOL_A, 'student')).cookie
    const teacher = (await signIn(campus, cast.teacherA, SCHOOL_A, 'teacher')).cookie
    const admin = (await signIn(campus, cast.teacherA, SCHOOL_A, 'administrator')).cookie
    const operator = (await signIn(campus, cast.teacherA, DISTRICT, 'administrator')).cookie
    // Cached while Redis is up.
    const up = await getJson<StudentDashboard>(campus, '/api/dashboard', learner)
    await getJson<TeacherDashboard>(campus, '/api/dashboard', teacher)
    await redis.kill()

    const before = campus.database.queryCount
    const down = await getJson<StudentDashboard>(campus, '/api/dashboard', learner)
    expect(down.totals).toEqual(up.totals)
    expect(campus.database.queryCount).toBeGreaterThan(before)
    const classes = await getJson<TeacherDashboard>(campus, '/api/dashboard', teacher)
    expect(classes.classes.length).toBeGreaterThan(0)
    const school = await getJson<SchoolView>(campus, '/api/dashboard', admin)
    expect(school.counts.students).toBeGreaterThan(0)
    const platform = await getJson<PlatformView>(campus, '/api/dashboard/platform', operator)
    expect(platform.cache.health.connected).toBe(false)
    for (const cookie of [learner, teacher, admin]) {
      expect((await get(campus, '/dashboard', cookie)).status).toBe(200)
    }
  })
})
