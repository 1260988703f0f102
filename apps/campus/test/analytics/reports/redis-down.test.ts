/**
 * Redis is never the authority: with the redis-server killed, search and reports still answer,
 * read from PostgreSQL, and the access rules still hold (sessions fall back to the database).
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceDataChange } from '../../../src/analytics/changes.js'
import { userRoles, users } from '../../../src/db/schema.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { cookieFor, FALL, FX, get, SCHOOL_A, writeFixture } from './fixture.js'

let redis: RedisServer
let campus: TestCampus
let admin = ''
let teacher = ''

beforeAll(async () => {
  redis = await startRedis()
  // Short Redis bounds: a dead server must cost a request little.
  campus = await startTestCampus({
    redisUrl: redis.url,
    satchel: { timeouts: { commandMs: 200, connectMs: 1000 } },
  })
  await writeFixture(campus)
  admin = await cookieFor(campus, FX.admin, SCHOOL_A, 'administrator')
  teacher = await cookieFor(campus, FX.teacher, SCHOOL_A, 'teacher')
}, 180_000)
afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

describe('search and reports with Redis killed', { timeout: 60_000 }, () => {
  it('answer from PostgreSQL', async () => {
    // Cached while Redis is up.
    expect((await get(campus, `/api/reports/classes/${FX.classA}`, teacher)).status).toBe(200)
    await redis.kill()

    // Uncached views: only PostgreSQL can answer them.
    await campus.database.db
      .insert(users)
      .values({ sourcedId: 'usr-fx-new', username: 'new', givenName: 'Newt', familyName: 'Down' })
    await campus.database.db.insert(userRoles).values({
      sourcedId: 'role-usr-fx-new',
      userSourcedId: 'usr-fx-new',
      roleType: 'primary',
      role: 'student',
      orgSourcedId: SCHOOL_A,
    })
    const found = await get(campus, '/api/search?type=students&q=newt', admin)
    expect(found.status).toBe(200)
    expect(
      ((await found.json()) as { results: { id: string }[] }).results.map((r) => r.id),
    ).toEqual(['usr-fx-new'])
    const report = await get(campus, `/api/reports/classes/${FX.classA}?term=${FALL}`, teacher)
    expect(report.status).toBe(200)
    expect(((await report.json()) as { learners: unknown[] }).learners).toHaveLength(12)
    const grade = await get(campus, '/api/reports/grades/05?format=csv', admin)
    expect(grade.status).toBe(200)
    expect(await grade.text()).toContain(FX.classSmall)
    // Still authorised on every request.
    expect((await get(campus, `/api/reports/classes/${FX.classSmall}`, teacher)).status).toBe(403)
    // A change announced while Redis is down neither throws nor fails the handler (satchel
    // counts the invalidation it could not send; the entries live out their TTL).
    const failed = await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'import', source: 'oneroster-csv', orgIds: [SCHOOL_A], userIds: [] },
    )
    expect(failed).toEqual([])
  })
})
