/**
 * Redis is an accelerator, never the authority: with the Redis server gone, a learner's answers
 * are still graded and stored in PostgreSQL, the result page and My progress show them, and the
 * course page shows the new progress (read from the database).
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { practiceAttempts } from '../../src/db/schema.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { ACCOUNTS, send, signIn } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { type AttemptJson, answers, body, servedForm, submitJson } from './support.js'

describe('graded practice while Redis is down', () => {
  let redis: RedisServer
  let campus: TestCampus
  let learner = ''

  beforeAll(async () => {
    redis = await startRedis()
    // Short Redis bounds: a dead server must cost a request little, not the test's 2 s.
    campus = await startTestCampus({
      redisUrl: redis.url,
      satchel: { timeouts: { commandMs: 200, connectMs: 1000 } },
    })
    await seedDemoAccounts(campus.database.db)
    learner = await signIn(campus.app, ACCOUNTS.student, { ip: '198.51.100.41' })
    // Seeding the demo set and hashing the demo passwords is slow on a loaded machine.
  }, 180_000)
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('stores the attempt in PostgreSQL and shows it', async () => {
    const as = { cookie: learner }
    // Warm everything while Redis is up: the course page, this learner's progress.
    const form = await servedForm(campus, F.quiz.path, as)
    expect(await (await send(campus.app, F.course.path, {}, as)).text()).not.toContain(
      'Done · best',
    )
    await redis.kill()

    const res = await submitJson(campus, body(form, await answers(campus, form.itemIds)), as)
    expect(res.status).toBe(201)
    const { attempt } = (await res.json()) as { attempt: AttemptJson }
    const rows = await campus.database.db
      .select()
      .from(practiceAttempts)
      .where(eq(practiceAttempts.id, attempt.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.scorePercent).toBe(100)

    const result = await send(campus.app, `/me/attempts/${attempt.id}`, {}, as)
    expect(result.status).toBe(200)
    const progress = await (await send(campus.app, '/me/progress', {}, as)).text()
    expect(progress).toContain(`/me/attempts/${attempt.id}`)
    const course = await send(campus.app, F.course.path, {}, as)
    expect(course.status).toBe(200)
    expect(await course.text()).toContain('Done · best 100%')
    // A fresh form works too, and a second submission of it is still one attempt.
    const again = await servedForm(campus, F.exercise.path, as)
    const payload = body(again, await answers(campus, again.itemIds))
    expect((await submitJson(campus, payload, as)).status).toBe(201)
    expect((await submitJson(campus, payload, as)).status).toBe(200)
  })
})
