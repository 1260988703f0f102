/**
 * Graded practice end to end on a real Redis and a real database: every practice type is graded
 * on the server from the stored key, XP is the improvement over the learner's best, a double
 * submit is one attempt, the answer key reaches neither a page nor a JSON twin, and grading
 * drops exactly the learner's cached progress (the course bundle and other learners' progress
 * stay).
 */
import { eq, inArray } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import {
  assessmentItems,
  practiceAttempts,
  practiceItemResponses,
  resources,
} from '../../src/db/schema.js'
import { progressKey } from '../../src/practice/progress.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { existing } from '../admin/builder-support.js'
import { ACCOUNTS, postForm, send, signIn } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { type AttemptJson, answers, body, servedForm, submitJson } from './support.js'

const STUDENT = 'usr-demo-school01-student'
const OTHER_STUDENT = 'usr-demo-school02-student'
const PRACTICE = [
  { name: 'exercise', ref: F.exercise },
  { name: 'quiz', ref: F.quiz },
  { name: 'unit test', ref: F.unitTest },
  { name: 'course challenge', ref: F.challenge },
] as const

describe('graded practice', () => {
  let redis: RedisServer
  let campus: TestCampus
  let learner = ''
  let otherLearner = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await seedDemoAccounts(campus.database.db)
    learner = await signIn(campus.app, ACCOUNTS.student, { ip: '198.51.100.21' })
    otherLearner = await signIn(campus.app, ACCOUNTS.otherStudent, { ip: '198.51.100.22' })
    // Seeding the demo set and hashing the demo passwords is slow on a loaded machine.
  }, 180_000)
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  async function xpOf(resourceId: string): Promise<number> {
    const [row] = await campus.database.db
      .select({ metadata: resources.metadata })
      .from(resources)
      .where(eq(resources.sourcedId, resourceId))
    return Number(row?.metadata.xp ?? 0)
  }

  async function attemptsOf(userId: string, resourceId: string) {
    return campus.database.db
      .select()
      .from(practiceAttempts)
      .where(eq(practiceAttempts.userSourcedId, userId))
      .then((rows) => rows.filter((r) => r.resourceSourcedId === resourceId))
  }

  for (const { name, ref } of PRACTICE) {
    it(`grades a ${name} on the server and awards XP once`, async () => {
      const as = { cookie: learner }
      const form = await servedForm(campus, ref.path, as)
      expect(form.resourceId).toBe(ref.id)
      expect(form.itemIds.length).toBeGreaterThan(1)
      const [firstItem] = form.itemIds as [string]
      const xp = await xpOf(ref.id)

      // One wrong answer.
      const partial = await submitJson(
        campus,
        body(form, await answers(campus, form.itemIds, new Set([firstItem]))),
        as,
      )
      expect(partial.status).toBe(201)
      const first = ((await partial.json()) as { attempt: AttemptJson }).attempt
      const n = form.itemIds.length
      expect(first.scoreRaw).toBe(n - 1)
      expect(first.scoreMax).toBe(n)
      expect(first.scorePercent).toBeCloseTo(((n - 1) / n) * 100, 2)
      expect(first.items.find((i) => i.itemId === firstItem)?.correct).toBe(false)
      expect(first.items.filter((i) => i.correct)).toHaveLength(n - 1)
      const partialXp = Math.floor((xp * (n - 1)) / n)
      expect(first.xpAwarded).toBe(partialXp)

      // All right, from a fresh form: the rest of the XP.
      const again = await servedForm(campus, ref.path, as)
      expect(again.attemptToken).not.toBe(form.attemptToken)
      const full = await submitJson(campus, body(again, await answers(campus, again.itemIds)), as)
      const second = ((await full.json()) as { attempt: AttemptJson }).attempt
      expect(second.scorePercent).toBe(100)
      expect(second.passed).toBe(true)
      expect(second.xpAwarded).toBe(xp - partialXp)

      // Perfect again: nothing more to earn.
      const third = await servedForm(campus, ref.path, as)
      const repeat = await submitJson(campus, body(third, await answers(campus, third.itemIds)), as)
      expect(((await repeat.json()) as { attempt: AttemptJson }).attempt.xpAwarded).toBe(0)

      const rows = await attemptsOf(STUDENT, ref.id)
      expect(rows).toHaveLength(3)
      expect(rows.reduce((sum, r) => sum + r.xpAwarded, 0)).toBe(xp)
      for (const row of rows) {
        expect(row.orgSourcedId).toBe('org-school-01')
        expect(row.courseSourcedId).toBe(ref.courseId)
        expect(row.startedAt.getTime()).toBeLessThanOrEqual(row.submittedAt.getTime())
      }
      const responses = await campus.database.db
        .select()
        .from(practiceItemResponses)
        .where(
          inArray(
            practiceItemResponses.attemptId,
            rows.map((r) => r.id),
          ),
        )
      expect(responses).toHaveLength(3 * n)
    })
  }

  it('stores the unit and lesson an attempt belongs to', async () => {
    const [exercise] = await attemptsOf(STUDENT, F.exercise.id)
    expect(exercise?.resourceType).toBe('exercise')
    expect(exercise?.lessonSourcedId).toBe(F.lesson.id)
    expect(exercise?.unitSourcedId).toBe(F.unit.id)
    const [quiz] = await attemptsOf(STUDENT, F.quiz.id)
    expect(quiz?.unitSourcedId).toBe(F.unit.id)
    expect(quiz?.lessonSourcedId).toBeNull()
    const [challenge] = await attemptsOf(STUDENT, F.challenge.id)
    expect(challenge?.unitSourcedId).toBeNull()
  })

  it('a double submit is one attempt: the API replays, the form lands on the same result', async () => {
    const as = { cookie: learner }
    const form = await servedForm(campus, F.quiz.path, as)
    const payload = body(form, await answers(campus, form.itemIds))
    const before = (await attemptsOf(STUDENT, F.quiz.id)).length
    // Both at once: the learner's row lock orders them; the second finds the first.
    const [a, b] = await Promise.all([
      submitJson(campus, payload, as),
      submitJson(campus, payload, as),
    ])
    const statuses = [a.status, b.status].sort()
    expect(statuses).toEqual([200, 201])
    const replayed = a.status === 200 ? a : b
    expect(replayed.headers.get('idempotent-replayed')).toBe('true')
    const ids = await Promise.all(
      [a, b].map(async (r) => ((await r.json()) as { attempt: AttemptJson }).attempt.id),
    )
    expect(ids[0]).toBe(ids[1])
    expect(await attemptsOf(STUDENT, F.quiz.id)).toHaveLength(before + 1)

    // The same form posted twice as a form.
    const page = await servedForm(campus, F.exercise.path, as)
    const fields: Record<string, string> = {
      courseId: page.courseId,
      resourceId: page.resourceId,
      attemptToken: page.attemptToken,
      returnTo: F.exercise.path,
    }
    const given = await answers(campus, page.itemIds)
    for (const [id, choice] of Object.entries(given)) fields[`answers.${id}`] = String(choice)
    const one = await postForm(campus.app, '/practice/attempts', fields, as)
    const two = await postForm(campus.app, '/practice/attempts', fields, as)
    expect(one.status).toBe(303)
    expect(two.status).toBe(303)
    const path = one.headers.get('location') ?? ''
    expect(path).toMatch(/^\/me\/attempts\/[0-9a-f-]{36}$/)
    expect(two.headers.get('location')).toBe(`${path}?again=1`)
    const result = await send(campus.app, path, {}, as)
    expect(result.status).toBe(200)
    expect(await result.text()).toContain('100%')
  })

  it('honours Idempotency-Key on the API: replay with the same answers, 422 with others', async () => {
    const as = { cookie: learner, headers: { 'idempotency-key': 'practice-retry-1' } }
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const payload = body(form, await answers(campus, form.itemIds))
    const first = await submitJson(campus, payload, as)
    expect(first.status).toBe(201)
    const again = await submitJson(campus, payload, as)
    // satchel's record answers, with the first response's status.
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const [a, b] = await Promise.all(
      [first, again].map(async (r) => ((await r.json()) as { attempt: AttemptJson }).attempt.id),
    )
    expect(b).toBe(a)
    const [firstItem] = form.itemIds as [string]
    const other = await submitJson(
      campus,
      body(form, await answers(campus, form.itemIds, new Set([firstItem]))),
      as,
    )
    expect(other.status).toBe(422)
    expect(other.headers.get('content-type')).toBe('application/problem+json')
  })

  it('never sends the answer key: pages and JSON twins are the same whatever the key says', async () => {
    const strip = (html: string) =>
      html.replace(/name="attemptToken" value="[^"]*"/g, 'name="attemptToken" value=""')
    const render = async (path: string) => ({
      json: await (await send(campus.app, `/api/content${path}`)).text(),
      anonymous: await (await send(campus.app, path)).text(),
      learner: strip(await (await send(campus.app, path, {}, { cookie: learner })).text()),
    })
    for (const { ref } of PRACTICE) {
      const before = await render(ref.path)
      expect(before.json).not.toMatch(/"correct"/)
      const form = await servedForm(campus, ref.path, { cookie: learner })
      const rows = await campus.database.db
        .select({ id: assessmentItems.sourcedId, body: assessmentItems.body })
        .from(assessmentItems)
        .where(inArray(assessmentItems.sourcedId, form.itemIds))
      // Move every key to another choice; the pages must not change by one byte.
      const moved = async (shift: number) => {
        for (const row of rows) {
          const n = row.body.choices.length
          await campus.database.db
            .update(assessmentItems)
            .set({ body: { ...row.body, correct: (row.body.correct + shift) % n } })
            .where(eq(assessmentItems.sourcedId, row.id))
        }
        await campus.satchel.cache.del(
          contentKeys(campus.satchel).assessmentItems(DISTRICT_ID, ref.id),
        )
      }
      await moved(1)
      try {
        const after = await render(ref.path)
        // The grader did read the moved key (so the pages above were built from it too).
        const graded = await submitJson(campus, body(form, await answers(campus, form.itemIds)), {
          cookie: learner,
        })
        expect(((await graded.json()) as { attempt: AttemptJson }).attempt.scorePercent).toBe(100)
        expect(after).toEqual(before)
      } finally {
        await moved(0)
      }
    }
  })

  it('grading drops exactly that learner’s cached progress, never the course bundle', async () => {
    const bundleKey = contentKeys(campus.satchel).courseBundle(DISTRICT_ID, F.course.id)
    const mine = progressKey(campus.satchel, 'org-school-01', STUDENT)
    const theirs = progressKey(campus.satchel, 'org-school-02', OTHER_STUDENT)
    // Both learners and an anonymous visitor view the course: bundle and both progress cached.
    await send(campus.app, F.course.path)
    await send(campus.app, F.course.path, {}, { cookie: learner })
    await send(campus.app, F.course.path, {}, { cookie: otherLearner })
    expect(await existing(campus, [bundleKey, mine, theirs])).toBe(3)

    const form = await servedForm(campus, F.unitTest.path, { cookie: learner })
    const res = await submitJson(campus, body(form, await answers(campus, form.itemIds)), {
      cookie: learner,
    })
    expect(res.status).toBe(201)
    expect(await existing(campus, [mine])).toBe(0)
    expect(await existing(campus, [bundleKey])).toBe(1)
    expect(await existing(campus, [theirs])).toBe(1)
    // A replay changes nothing, so it drops nothing either.
    await send(campus.app, F.course.path, {}, { cookie: learner })
    expect(await existing(campus, [mine])).toBe(1)
    await submitJson(campus, body(form, await answers(campus, form.itemIds)), { cookie: learner })
    expect(await existing(campus, [mine])).toBe(1)
  })

  it('course and unit pages show the learner’s progress; the anonymous page stays shared', async () => {
    const coursePage = await send(campus.app, F.course.path, {}, { cookie: learner })
    const html = await coursePage.text()
    expect(html).toContain('Done · best 100%')
    expect(html).toContain('href="/me/progress"')
    expect(coursePage.headers.get('cache-control')).toBe('private, no-cache')
    const unitPage = await (await send(campus.app, F.unit.path, {}, { cookie: learner })).text()
    expect(unitPage).toContain('Done · best 100%')

    const anonymous = await send(campus.app, F.course.path)
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=60')
    expect(anonymous.headers.get('vary')).toContain('Cookie')
    const shared = await anonymous.text()
    expect(shared).not.toContain('Done · best')
    expect(shared).not.toContain('/me/progress')
    // The other learner has done nothing: no progress on their page.
    const theirs = await (
      await send(campus.app, F.course.path, {}, { cookie: otherLearner })
    ).text()
    expect(theirs).not.toContain('Done · best')
  })

  it('My progress lists the attempts with the XP total', async () => {
    const res = await send(campus.app, '/me/progress', {}, { cookie: learner })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    const rows = await campus.database.db
      .select()
      .from(practiceAttempts)
      .where(eq(practiceAttempts.userSourcedId, STUDENT))
    const total = rows.reduce((sum, r) => sum + r.xpAwarded, 0)
    expect(html).toContain(`${total} XP · ${rows.length} attempts`)
    for (const row of rows.slice(0, 5)) expect(html).toContain(`/me/attempts/${row.id}`)
    const api = await send(campus.app, '/api/practice/progress', {}, { cookie: learner })
    const { progress } = (await api.json()) as { progress: { totalXp: number; attempts: number } }
    expect(progress).toMatchObject({ totalXp: total, attempts: rows.length })
  })
})
