/**
 * New attempts: refused while the latest attempt is open; after completion (or pass/fail) a
 * new attempt is a new registration that starts afresh (`ab-initio`, no saved location);
 * earlier attempts keep their registration, SCO state and interactions and are listed in the
 * player's history; two requests at once create one attempt; the form post is CSRF-checked and
 * another organisation's learner gets 404.
 */
import { and, eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scormInteractions, scormRegistrations, scormScoStates } from '../../src/db/schema.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { members, signIn } from '../admin-area/support.js'
import { postForm, send } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ORG = 'org-school-01'

describe('SCORM attempts', () => {
  let redis: RedisServer
  let campus: TestCampus
  let cookie = ''
  let foreign = ''
  let learnerId = ''
  let packageId = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [student] = await members(campus, ORG, 'student')
    const [stranger] = await members(campus, 'org-school-02', 'student')
    learnerId = student?.id ?? ''
    cookie = (await signIn(campus, learnerId, ORG, 'student')).cookie
    foreign = (await signIn(campus, stranger?.id ?? '', 'org-school-02', 'student')).cookie
    packageId = (
      await importScormPackage(campus.deps.scorm, {
        orgId: ORG,
        bytes: buildPackage({ version: '2004', title: 'Attempts' }),
        origin: 'attempts.zip',
        via: 'cli',
      })
    ).packageId
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  async function player() {
    const res = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie })
    expect(res.status).toBe(200)
    const html = await res.text()
    const attr = (n: string) =>
      (new RegExp(`${n}="([^"]*)"`).exec(html)?.[1] ?? '').replaceAll('&quot;', '"')
    return {
      html,
      commitUrl: attr('data-commit-url'),
      state: JSON.parse(attr('data-state')) as Record<string, string>,
    }
  }
  const newAttempt = (as = cookie) =>
    postForm(campus.app, `/scorm/packages/${packageId}/attempts`, {}, { cookie: as })
  const commit = (url: string, body: Record<string, string>) =>
    send(
      campus.app,
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      { cookie },
    )

  it('refuses a new attempt while the latest is open, then starts one after completion', async () => {
    const first = await player()
    expect(first.html).not.toContain('Start a new attempt')
    const open = await newAttempt()
    expect(open.status).toBe(409)
    expect(((await open.json()) as { code: string }).code).toBe('E_SCORM_ATTEMPT_OPEN')

    const done = await commit(first.commitUrl, {
      'cmi.location': 'end',
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.9',
      'cmi.exit': 'suspend',
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.0.type': 'choice',
      'cmi.interactions.0.learner_response': 'b',
      'cmi.interactions.0.result': 'correct',
    })
    expect(done.status).toBe(200)
    const finished = await player()
    expect(finished.html).toContain('Start a new attempt')
    expect(finished.state['cmi.entry']).toBe('resume')

    // Cross-site: refused by the CSRF guard, nothing created.
    const crossSite = await send(
      campus.app,
      `/scorm/packages/${packageId}/attempts`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
      },
      { cookie },
    )
    expect(crossSite.status).toBe(403)
    // Another organisation's learner: the package does not exist for them.
    expect((await newAttempt(foreign)).status).toBe(404)

    const started = await newAttempt()
    expect(started.status).toBe(303)
    expect(started.headers.get('location')).toBe(`/scorm/packages/${packageId}`)

    const second = await player()
    expect(second.commitUrl).not.toBe(first.commitUrl)
    expect(second.state['cmi.entry']).toBe('ab-initio')
    expect(second.state['cmi.location']).toBeUndefined()
    expect(second.html).not.toContain('Start a new attempt')
    // The history: attempt 2 (this one) and attempt 1, passed at 90 %.
    expect(second.html).toMatch(/data-attempt="2"[\s\S]*data-attempt="1"/)
    expect(second.html).toMatch(/data-attempt="1">[\s\S]*?passed[\s\S]*?90%/)

    // Attempt 1 is kept whole.
    const regs = await campus.database.db
      .select()
      .from(scormRegistrations)
      .where(
        and(
          eq(scormRegistrations.packageId, packageId),
          eq(scormRegistrations.learnerId, learnerId),
        ),
      )
    const one = regs.find((r) => r.attempt === 1)
    expect(regs.map((r) => r.attempt).sort()).toEqual([1, 2])
    expect(one).toMatchObject({ completionStatus: 'completed', successStatus: 'passed' })
    const [state] = await campus.database.db
      .select()
      .from(scormScoStates)
      .where(eq(scormScoStates.registrationId, one?.id ?? ''))
    expect(state?.location).toBe('end')
    const interactions = await campus.database.db
      .select()
      .from(scormInteractions)
      .where(eq(scormInteractions.registrationId, one?.id ?? ''))
    expect(interactions.map((i) => i.interactionId)).toEqual(['q1'])
  })

  it('two requests at once after a failed attempt create one new attempt', async () => {
    const current = await player()
    const failed = await commit(current.commitUrl, {
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'failed',
    })
    expect(failed.status).toBe(200)
    const answers = await Promise.all([newAttempt(), newAttempt()])
    expect(answers.map((r) => r.status)).toEqual([303, 303])
    const regs = await campus.database.db
      .select({ attempt: scormRegistrations.attempt })
      .from(scormRegistrations)
      .where(
        and(
          eq(scormRegistrations.packageId, packageId),
          eq(scormRegistrations.learnerId, learnerId),
        ),
      )
    expect(regs.map((r) => r.attempt).sort()).toEqual([1, 2, 3])
  })
})
