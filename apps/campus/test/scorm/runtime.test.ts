/**
 * The learner run-time over HTTP: launching creates the registration and serves the player
 * under its policy; package content is served only to the org's signed-in users, with the
 * content policy; commits are validated against the SCORM 1.2 and 2004 data models (a bad
 * value rejects the whole commit and nothing changes), stored per registration, and read back
 * on the next launch (resume); a commit while Redis is down still lands; the admin upload
 * needs the administrator role and a same-origin form post.
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  scormInteractions,
  scormPackages,
  scormRegistrations,
  scormScoStates,
} from '../../src/db/schema.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { members, signIn } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ORG = 'org-school-01'
const OTHER_ORG = 'org-school-02'

describe('SCORM run-time', () => {
  let redis: RedisServer
  let campus: TestCampus
  let learner: { id: string; cookie: string }
  let otherLearner: { id: string; cookie: string }
  let package12 = ''
  let package2004 = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [student, second] = await members(campus, ORG, 'student')
    learner = {
      id: student?.id ?? '',
      cookie: (await signIn(campus, student?.id ?? '', ORG, 'student')).cookie,
    }
    otherLearner = {
      id: second?.id ?? '',
      cookie: (await signIn(campus, second?.id ?? '', ORG, 'student')).cookie,
    }
    const ctx = campus.deps.scorm
    package12 = (
      await importScormPackage(ctx, {
        orgId: ORG,
        bytes: buildPackage({ version: '1.2' }),
        origin: 'a.zip',
        via: 'cli',
      })
    ).packageId
    package2004 = (
      await importScormPackage(ctx, {
        orgId: ORG,
        bytes: buildPackage({ version: '2004', scos: 2 }),
        origin: 'b.zip',
        via: 'cli',
      })
    ).packageId
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  /** Launches `packageId` as `cookie`; returns the player's commit URL and initial state. */
  async function launch(cookie: string, packageId: string, query = '') {
    const res = await campus.app.request(`/scorm/packages/${packageId}${query}`, {
      headers: { cookie },
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    const attr = (name: string) => {
      const m = new RegExp(`${name}="([^"]*)"`).exec(html)
      return (m?.[1] ?? '')
        .replaceAll('&quot;', '"')
        .replaceAll('&amp;', '&')
        .replaceAll('&#39;', "'")
    }
    return {
      res,
      html,
      commitUrl: attr('data-commit-url'),
      launchUrl: attr('data-launch-url'),
      state: JSON.parse(attr('data-state') || '{}') as Record<string, string>,
    }
  }

  const commit = (cookie: string, url: string, body: unknown) =>
    campus.app.request(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  async function stateOf(commitUrl: string) {
    const [, , , , registrationId, , scoId] = commitUrl.split('/')
    const [row] = await campus.database.db
      .select()
      .from(scormScoStates)
      .where(eq(scormScoStates.registrationId, registrationId ?? ''))
    const [registration] = await campus.database.db
      .select()
      .from(scormRegistrations)
      .where(eq(scormRegistrations.id, registrationId ?? ''))
    return { row, registration, scoId }
  }

  it('launches a SCO: a registration, the player under its policy, content under the content policy', async () => {
    const { res, html, commitUrl, launchUrl, state } = await launch(learner.cookie, package12)
    expect(res.headers.get('content-security-policy')).toContain("frame-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(html).toContain('src="/assets/scorm12.js"')
    expect(html).toContain('sandbox="allow-scripts allow-same-origin allow-forms"')
    expect(state['cmi.core.entry']).toBe('ab-initio')
    expect(state['cmi.core.student_id']).toBe(learner.id)
    expect(state['cmi.student_data.mastery_score']).toBe('80')
    expect(commitUrl).toMatch(
      /^\/api\/scorm\/registrations\/[0-9a-f-]{36}\/scos\/[0-9a-f-]{36}\/commit$/,
    )
    const { registration } = await stateOf(commitUrl)
    expect(registration).toMatchObject({
      learnerUserSourcedId: learner.id,
      attempt: 1,
      completionStatus: 'not attempted',
    })

    const content = await campus.app.request(launchUrl, { headers: { cookie: learner.cookie } })
    expect(content.status).toBe(200)
    expect(content.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(content.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(content.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    expect(content.headers.get('content-security-policy')).toContain("form-action 'none'")
    expect(await content.text()).toContain('shared/sco.js')
    // Signed out: sign in first. Another org: as if it did not exist. Traversal: nothing.
    expect((await campus.app.request(launchUrl)).status).toBe(303)
    const outsider = await members(campus, OTHER_ORG, 'student')
    const { cookie: otherOrg } = await signIn(campus, outsider[0]?.id ?? '', OTHER_ORG, 'student')
    expect((await campus.app.request(launchUrl, { headers: { cookie: otherOrg } })).status).toBe(
      404,
    )
    expect(
      (await campus.app.request(`/scorm/packages/${package12}`, { headers: { cookie: otherOrg } }))
        .status,
    ).toBe(404)
    // A file name with a space and a percent sign is served by its encoded URL.
    const odd = await importScormPackage(campus.deps.scorm, {
      orgId: ORG,
      bytes: buildPackage({
        version: '1.2',
        title: 'Odd names',
        files: { 'media/50% off.txt': 'half' },
      }),
      origin: 'odd.zip',
      via: 'cli',
    })
    const oddFile = await campus.app.request(
      `/scorm/content/${odd.packageId}/media/50%25%20off.txt`,
      {
        headers: { cookie: learner.cookie },
      },
    )
    expect(oddFile.status).toBe(200)
    expect(await oddFile.text()).toBe('half')
    for (const path of [
      '..%2F..%2F..%2Fpglite%2FPG_VERSION',
      '%2e%2e/%2e%2e/x.html',
      'imsmanifest.xml%00.html',
      '%E0%A4%A',
    ]) {
      const r = await campus.app.request(`/scorm/content/${package12}/${path}`, {
        headers: { cookie: learner.cookie },
      })
      expect(r.status).toBe(404)
    }
  })

  it('stores a SCORM 1.2 commit and resumes from it on the next launch', async () => {
    const { commitUrl } = await launch(learner.cookie, package12)
    const res = await commit(learner.cookie, commitUrl, {
      'cmi.core.lesson_location': 'q1',
      'cmi.suspend_data': 'answer=b',
      'cmi.core.exit': 'suspend',
      'cmi.core.lesson_status': 'incomplete',
      'cmi.core.student_id': 'ignored: read-only',
      'cmi.objectives': {},
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.0.type': 'choice',
      'cmi.interactions.0.student_response': 'b',
      'cmi.interactions.0.result': 'correct',
      'cmi.interactions.0.correct_responses.0.pattern': 'b',
      'cmi.core.session_time': '0000:00:30',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ result: true, errorCode: 0 })
    const { row, registration } = await stateOf(commitUrl)
    expect(row).toMatchObject({
      location: 'q1',
      suspendData: 'answer=b',
      lessonStatus: 'incomplete',
      exit: 'suspend',
      sessionTimeSeconds: 30,
    })
    expect(registration).toMatchObject({
      completionStatus: 'incomplete',
      suspendData: 'answer=b',
      commitCount: 1,
    })
    const interactions = await campus.database.db
      .select()
      .from(scormInteractions)
      .where(eq(scormInteractions.scoStateId, row?.id ?? ''))
    expect(interactions).toEqual([
      expect.objectContaining({
        index: 0,
        interactionId: 'q1',
        type: 'choice',
        learnerResponse: 'b',
        result: 'correct',
        correctResponses: ['b'],
      }),
    ])

    // Reload: the same registration, resumed; the session's 30 s folded into the total.
    const again = await launch(learner.cookie, package12)
    expect(again.commitUrl).toBe(commitUrl)
    expect(again.state).toMatchObject({
      'cmi.core.entry': 'resume',
      'cmi.core.lesson_location': 'q1',
      'cmi.suspend_data': 'answer=b',
      'cmi.core.total_time': '0000:00:30',
    })

    const done = await commit(learner.cookie, commitUrl, {
      'cmi.core.lesson_status': 'passed',
      'cmi.core.score.raw': '100',
      'cmi.core.score.max': '100',
      'cmi.core.score.min': '0',
      'cmi.core.session_time': '0000:01:05',
      'cmi.suspend_data': 'answer=b',
    })
    expect(done.status).toBe(200)
    const after = await stateOf(commitUrl)
    expect(after.registration).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'passed',
      lessonStatus: 'passed',
      scoreRaw: 100,
      scoreScaled: 1,
      totalTimeSeconds: 95,
    })
    expect(after.registration?.completedAt).toBeInstanceOf(Date)
  })

  it('rejects SCORM 1.2 values outside their vocabularies and lengths, naming each; nothing changes', async () => {
    const { commitUrl } = await launch(learner.cookie, package12)
    const before = await stateOf(commitUrl)
    const res = await commit(learner.cookie, commitUrl, {
      'cmi.core.lesson_status': 'finished',
      'cmi.core.score.raw': '150',
      'cmi.suspend_data': 'x'.repeat(4097),
      'cmi.core.session_time': '1:2:3',
      'cmi.core.exit': 'normal',
      'cmi.interactions.0.id': 'has space',
      'cmi.interactions.0.type': 'essay',
      'cmi.core.lesson_location': 'fine',
      'cmi.core.no_such_thing': 'x',
      'cmi.completion_status': 'completed',
    })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = (await res.json()) as { code: string; problems: string[] }
    expect(problem.code).toBe('E_CMI_INVALID')
    expect(problem.problems).toEqual([
      'cmi.core.lesson_status: "finished" is not one of passed | completed | failed | incomplete | browsed | not attempted',
      'cmi.core.score.raw: "150" is out of range: must be a decimal number ≥ 0 and ≤ 100',
      'cmi.suspend_data: 4097 characters, more than the 4096 allowed',
      'cmi.core.session_time: "1:2:3" is not a time span HHHH:MM:SS.SS',
      'cmi.core.exit: "normal" is not one of "" | time-out | suspend | logout',
      'cmi.interactions.0.id: "has space" is not an identifier (non-empty, no spaces)',
      'cmi.interactions.0.type: "essay" is not one of true-false | choice | fill-in | matching | performance | sequencing | likert | numeric',
      'cmi.core.no_such_thing: not an element of the SCORM 1.2 data model',
      'cmi.completion_status: not an element of the SCORM 1.2 data model',
    ])
    const after = await stateOf(commitUrl)
    expect(after.row).toEqual(before.row)
    expect(after.registration).toEqual(before.registration)
  })

  it('rejects SCORM 2004 values outside their vocabularies, ranges and lengths; nothing changes', async () => {
    const { commitUrl, state } = await launch(learner.cookie, package2004)
    expect(state['cmi.entry']).toBe('ab-initio')
    expect(state['cmi.scaled_passing_score']).toBe('0.8')
    const before = await stateOf(commitUrl)
    const res = await commit(learner.cookie, commitUrl, {
      'cmi.completion_status': 'done',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '1.5',
      'cmi.location': 'l'.repeat(1001),
      'cmi.session_time': '00:01:00',
      'cmi.interactions.1000.id': 'q',
      'cmi.interactions.0.result': 'wrong',
      'cmi.core.lesson_status': 'passed',
    })
    expect(res.status).toBe(422)
    const problem = (await res.json()) as { problems: string[] }
    expect(problem.problems).toEqual([
      'cmi.completion_status: "done" is not one of completed | incomplete | not attempted | unknown',
      'cmi.score.scaled: "1.5" is out of range: must be a decimal number ≥ -1 and ≤ 1',
      'cmi.location: 1001 characters, more than the 1000 allowed',
      'cmi.session_time: "00:01:00" is not an ISO 8601 duration such as PT1H30M5S',
      'cmi.interactions.1000.id: index 1000 is not allowed (0 to 999, no leading zeros)',
      'cmi.interactions.0.result: "wrong" is not one of "" | correct | incorrect | unanticipated | neutral or a decimal number',
      'cmi.core.lesson_status: not an element of the SCORM 2004 data model',
    ])
    expect(await stateOf(commitUrl)).toEqual(before)
    // Bodies that are not the run-time's JSON.
    const text = await campus.app.request(commitUrl, {
      method: 'POST',
      headers: { cookie: learner.cookie, 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(text.status).toBe(400)
    expect(((await text.json()) as { code: string }).code).toBe('E_CMI_BODY')
    expect((await commit(learner.cookie, commitUrl, ['cmi.location'])).status).toBe(422)
  })

  it('refuses a commit to another learner’s registration, and unauthenticated commits', async () => {
    const { commitUrl } = await launch(learner.cookie, package2004)
    const before = await stateOf(commitUrl)
    const res = await commit(otherLearner.cookie, commitUrl, { 'cmi.location': 'hijack' })
    expect(res.status).toBe(404)
    const anonymous = await campus.app.request(commitUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(anonymous.status).toBe(401)
    expect(await stateOf(commitUrl)).toEqual(before)
  })

  it('rolls a multi-SCO registration up over its SCOs', async () => {
    const first = await launch(otherLearner.cookie, package2004)
    const scoIds = [...first.html.matchAll(/\?sco=([0-9a-f-]{36})/g)].map((m) => m[1])
    expect(new Set(scoIds).size).toBe(2)
    const done = {
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.9',
      'cmi.session_time': 'PT10S',
    }
    expect((await commit(otherLearner.cookie, first.commitUrl, done)).status).toBe(200)
    expect((await stateOf(first.commitUrl)).registration).toMatchObject({
      completionStatus: 'incomplete',
      successStatus: 'unknown',
    })
    const other = scoIds.find((id) => !first.commitUrl.includes(id ?? ''))
    const second = await launch(otherLearner.cookie, package2004, `?sco=${other}`)
    expect(second.commitUrl).not.toBe(first.commitUrl)
    expect(
      (await commit(otherLearner.cookie, second.commitUrl, { ...done, 'cmi.score.scaled': '0.7' }))
        .status,
    ).toBe(200)
    const { registration } = await stateOf(second.commitUrl)
    expect(registration).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'passed',
      totalTimeSeconds: 20,
    })
    expect(registration?.scoreScaled).toBeCloseTo(0.8)
  })

  it('a commit while Redis is down still lands in PostgreSQL', async () => {
    const { commitUrl } = await launch(learner.cookie, package2004)
    await redis.stop()
    try {
      const res = await commit(learner.cookie, commitUrl, {
        'cmi.location': 'during-outage',
        'cmi.suspend_data': 'redis-down',
        'cmi.completion_status': 'incomplete',
      })
      expect(res.status).toBe(200)
      const { row } = await stateOf(commitUrl)
      expect(row).toMatchObject({ location: 'during-outage', suspendData: 'redis-down' })
    } finally {
      await redis.restart()
    }
  })
})

describe('SCORM admin upload', () => {
  let campus: TestCampus
  beforeAll(async () => {
    campus = await startTestCampus()
  })
  afterAll(async () => {
    await campus?.close()
  })

  function upload(cookie: string, bytes: Buffer, origin: string | undefined = 'http://localhost') {
    const form = new FormData()
    form.set(
      'package',
      new File([new Uint8Array(bytes)], 'course.zip', { type: 'application/zip' }),
    )
    return campus.app.request('http://localhost/admin/scorm/upload', {
      method: 'POST',
      headers: { cookie, ...(origin ? { origin } : {}) },
      body: form,
    })
  }

  it('an administrator uploads; teachers cannot; a cross-site post is refused; bad packages list their problems', async () => {
    const [teacher] = await members(campus, ORG, 'teacher')
    const admin = await signIn(campus, teacher?.id ?? '', ORG, 'administrator')
    const asTeacher = await signIn(campus, teacher?.id ?? '', ORG, 'teacher')
    const bytes = buildPackage({ version: '2004', title: 'Uploaded' })

    expect((await upload(asTeacher.cookie, bytes)).status).toBe(403)
    const crossSite = await upload(admin.cookie, bytes, 'https://evil.example')
    expect(crossSite.status).toBe(403)
    expect(((await crossSite.json()) as { code: string }).code).toBe('E_CSRF')
    expect(await campus.database.db.select().from(scormPackages)).toHaveLength(0)

    const bad = await upload(
      admin.cookie,
      buildPackage({ version: '1.2', files: { 'sco1.html': null } }),
    )
    expect(bad.status).toBe(422)
    const page = await bad.text()
    expect(page).toContain(
      'imsmanifest.xml:/manifest/resources/resource[1]@href: launch file sco1.html is not in the package',
    )
    expect(await campus.database.db.select().from(scormPackages)).toHaveLength(0)

    const ok = await upload(admin.cookie, bytes)
    expect(ok.status).toBe(303)
    const [pkg] = await campus.database.db.select().from(scormPackages)
    expect(ok.headers.get('location')).toBe(`/admin/scorm/${pkg?.id}?notice=imported`)
    expect(pkg).toMatchObject({
      title: 'Uploaded',
      orgSourcedId: ORG,
      uploadedBy: teacher?.id,
      version: '2004',
      edition: 4,
    })
    // Teachers read the list (without the upload form) and the report.
    expect(
      (
        await campus.app.request(`/admin/scorm/${pkg?.id}`, {
          headers: { cookie: asTeacher.cookie },
        })
      ).status,
    ).toBe(200)
    const list = await campus.app.request('/admin/scorm', { headers: { cookie: admin.cookie } })
    const adminList = await list.text()
    expect(adminList).toContain(`data-package-id="${pkg?.id}"`)
    expect(adminList).toContain('action="/admin/scorm/upload"')
    const teacherList = await campus.app.request('/admin/scorm', {
      headers: { cookie: asTeacher.cookie },
    })
    const teacherHtml = await teacherList.text()
    expect(teacherHtml).toContain(`data-package-id="${pkg?.id}"`)
    expect(teacherHtml).not.toContain('action="/admin/scorm/upload"')
    const [student] = await members(campus, ORG, 'student')
    const asStudent = await signIn(campus, student?.id ?? '', ORG, 'student')
    expect(
      (await campus.app.request('/admin/scorm', { headers: { cookie: asStudent.cookie } })).status,
    ).toBe(403)
    expect(
      (
        await campus.app.request(`/admin/scorm/${pkg?.id}`, {
          headers: { cookie: asStudent.cookie },
        })
      ).status,
    ).toBe(403)
  })
})
