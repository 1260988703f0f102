import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { ACCOUNTS, DEMO_PASSWORD, postEmpty, postJson, send, signIn } from './support.js'

let database: CampusTestDatabase
beforeAll(async () => {
  database = await openCampusTestDatabase()
  await writeDataset(database.db, generateDataset({ scale: 'small' }))
  await seedDemoAccounts(database.db)
})
afterAll(async () => {
  await database?.close()
})

describe('flags off', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({
      redisUrl: redis.url,
      database,
      prefix: 'flags-off',
      satchel: { flags: 'cache,locking,idempotency,counters' },
    })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('session_index off: every lookup reads the database, sign-in and logout still work', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.teacher)
    const before = campus.deps.auth.sessions.index.stats()
    for (let i = 0; i < 3; i++) {
      expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    }
    const after = campus.deps.auth.sessions.index.stats()
    expect(after.hits).toBe(before.hits)
    expect(after.writes).toBe(before.writes)
    expect((await postEmpty(campus.app, '/api/auth/logout', { cookie })).status).toBe(204)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(401)
  })

  it('rate_limit off: no 429, only the policy is announced', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await postJson(campus.app, '/api/auth/login', {
        email: ACCOUNTS.admin,
        password: `wrong-${i}-password`,
      })
      expect(res.status).toBe(401)
      expect(res.headers.get('ratelimit')).toBeNull()
    }
    const ok = await postJson(campus.app, '/api/auth/login', {
      email: ACCOUNTS.admin,
      password: DEMO_PASSWORD,
    })
    expect(ok.status).toBe(200)
  }, 180_000)
})

describe('Redis killed during sign-in', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url, database, prefix: 'killed' })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('sign-in still works and sessions come from the database', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.student)
    // Cached in the index while Redis is up.
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    expect(campus.deps.auth.sessions.index.stats().hits).toBeGreaterThanOrEqual(1)

    await redis.kill()
    const before = campus.deps.auth.sessions.index.stats()
    // The existing session is read from the database.
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    expect(campus.deps.auth.sessions.index.stats().fallbacks).toBeGreaterThan(before.fallbacks)
    // A new sign-in works (rate limits fail open) and its session is served too.
    const res = await postJson(campus.app, '/api/auth/login', {
      email: ACCOUNTS.teacher,
      password: DEMO_PASSWORD,
    })
    expect(res.status).toBe(200)
    const fresh = await signIn(campus.app, ACCOUNTS.admin)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie: fresh })).status).toBe(200)
    // Logout is written to the database, so it holds though the index cannot be reached.
    expect((await postEmpty(campus.app, '/api/auth/logout', { cookie })).status).toBe(204)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(401)
    // And the pages work: the account page renders from the database session.
    const page = await send(campus.app, '/account', {}, { cookie: fresh })
    expect(page.status).toBe(200)
  })
})
