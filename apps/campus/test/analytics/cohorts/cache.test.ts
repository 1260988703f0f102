/**
 * Cohort data through the shared cache on a real Redis: a repeated read is served from the
 * cache, a graded attempt (announced as the practice code does) drops the entries of the
 * school and of the district above it, and with the Redis server killed the page still renders
 * from PostgreSQL.
 */
import { sql } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceDataChange } from '../../../src/analytics/changes.js'
import { practiceAttempts, resources } from '../../../src/db/schema.js'
import { send } from '../../auth/support.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { type CohortFixture, cookieFor, DISTRICT, SCHOOL, writeCohortFixture } from './fixture.js'

let redis: RedisServer
let campus: TestCampus
let fx: CohortFixture
let admin = ''
let districtAdmin = ''

beforeAll(async () => {
  redis = await startRedis()
  campus = await startTestCampus({
    redisUrl: redis.url,
    // A dead server must cost a request little.
    satchel: { timeouts: { commandMs: 200, connectMs: 1000 } },
  })
  fx = await writeCohortFixture(campus)
  admin = await cookieFor(campus, fx.schoolAdmin, SCHOOL, 'administrator')
  const result = await campus.database.db.execute(sql`select u.sourced_id as id from users u
    join user_roles r on r.user_sourced_id = u.sourced_id
    where r.org_sourced_id = ${DISTRICT} and r.role = 'administrator' limit 1`)
  const [row] = (result as unknown as { rows: { id: string }[] }).rows
  if (!row) throw new Error('the seed has no district administrator')
  districtAdmin = await cookieFor(campus, row.id, DISTRICT, 'administrator')
}, 180_000)
afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

const PATH = '/api/cohorts?scope=class&id=coh-normal-a&score=quiz'

async function n(cookie: string): Promise<number> {
  const res = await send(campus.app, PATH, {}, { cookie })
  expect(res.status).toBe(200)
  return ((await res.json()) as { n: number }).n
}

/** A new learner's graded attempt in the class, written straight to PostgreSQL. */
async function addAttempt(learner: string, classId = 'coh-normal-a'): Promise<void> {
  const db = campus.database.db
  await db.execute(sql`insert into users (sourced_id, username, given_name, family_name, grades)
    values (${learner}, ${learner}, 'New', 'Learner', '{07}')`)
  const [resource] = await db.select({ id: resources.sourcedId }).from(resources).limit(1)
  await db.insert(practiceAttempts).values({
    orgSourcedId: SCHOOL,
    userSourcedId: learner,
    attemptToken: `t-${learner}`,
    resourceSourcedId: resource?.id ?? '',
    resourceType: 'quiz',
    courseSourcedId: fx.course,
    classSourcedId: classId,
    gradeLevel: '07',
    seed: 's',
    startedAt: new Date(),
    scoreRaw: 50,
    scoreMax: 100,
    scorePercent: 50,
    passed: false,
  })
}

describe('cohort cache', { timeout: 60_000 }, () => {
  it('serves repeated reads from the cache until an attempt is announced', async () => {
    expect(await n(admin)).toBe(30)
    expect(await n(districtAdmin)).toBe(30)
    const keys = (await campus.satchel.redis.client?.keys('campus:o:*cohorts*')) ?? []
    expect(keys.some((k) => k.includes(SCHOOL))).toBe(true)
    expect(keys.some((k) => k.includes(DISTRICT))).toBe(true)

    await addAttempt('coh-late-1')
    // Not announced yet: both entries are still served (this is what the cache is for).
    expect(await n(admin)).toBe(30)
    expect(await n(districtAdmin)).toBe(30)

    const failed = await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'attempt', orgId: SCHOOL, userId: 'coh-late-1', courseId: fx.course },
    )
    expect(failed).toEqual([])
    // The school's entry and the district's (keyed by the session's organisation) are dropped.
    expect(await n(admin)).toBe(31)
    expect(await n(districtAdmin)).toBe(31)
  })

  it('drops only the imported source: an IXL import leaves quiz cohorts cached', async () => {
    const ixl = '/api/cohorts?scope=class&id=coh-normal-a&score=ixl'
    const count = async (path: string) => {
      const res = await send(campus.app, path, {}, { cookie: admin })
      return ((await res.json()) as { n: number }).n
    }
    expect(await count(ixl)).toBe(30)
    const quizBefore = await n(admin)
    await campus.database.db.execute(sql`delete from external_assessment_scores
      where user_sourced_id = 'coh-normal-a-s0'`)
    await addAttempt('coh-late-3')
    const deps = { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger }
    expect(
      await announceDataChange(deps, {
        kind: 'import',
        source: 'ixl-csv',
        orgIds: [SCHOOL],
        userIds: [],
      }),
    ).toEqual([])
    expect(await count(ixl)).toBe(29)
    // The quiz entry was not an IXL reader: still the cached answer until a quiz change.
    expect(await n(admin)).toBe(quizBefore)
  })

  it('renders the page from PostgreSQL with the Redis server killed', async () => {
    await redis.kill()
    // A cohort nobody has read yet (an entry read before may still be answered from this
    // process's L1, which is the intended degradation): this one can only come from PostgreSQL.
    await addAttempt('coh-late-2', 'coh-normal-b')
    const res = await send(
      campus.app,
      '/cohorts?scope=class&id=coh-normal-b&score=quiz',
      {},
      { cookie: admin },
    )
    expect(res.status).toBe(200)
    const counted = await campus.database.db.execute(sql`select count(distinct user_sourced_id)::int
      as n from practice_attempts where class_sourced_id = 'coh-normal-b'`)
    const [row] = (counted as unknown as { rows: { n: number }[] }).rows
    const html = await res.text()
    // Read from PostgreSQL: the attempt written after the kill is counted.
    expect(html).toContain(`Summary of ${row?.n} scores`)
    expect(row?.n).toBe(26)
    expect(html).toContain('How to read these numbers')
  })
})
