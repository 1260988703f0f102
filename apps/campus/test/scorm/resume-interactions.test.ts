/**
 * Interactions and objectives come back on resume: what a SCO committed as
 * `cmi.interactions.n.*` (stored as rows) and `cmi.objectives.n.*` is in the next launch's
 * initial CMI, with the version's own element names (1.2 `time`/`student_response`, 2004
 * `timestamp`/`learner_response`), numbered from 0 in order; a new attempt starts without them.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importScormPackage } from '../../src/scorm/import.js'
import { members, signIn } from '../admin-area/support.js'
import { postForm, send } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ORG = 'org-school-01'

describe('resume gives back interactions and objectives', () => {
  let redis: RedisServer
  let campus: TestCampus
  let cookie = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [student] = await members(campus, ORG, 'student')
    cookie = (await signIn(campus, student?.id ?? '', ORG, 'student')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  async function launch(packageId: string) {
    const res = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie })
    expect(res.status).toBe(200)
    const html = await res.text()
    const attr = (n: string) =>
      (new RegExp(`${n}="([^"]*)"`).exec(html)?.[1] ?? '').replaceAll('&quot;', '"')
    return {
      commitUrl: attr('data-commit-url'),
      state: JSON.parse(attr('data-state')) as Record<string, string>,
    }
  }
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

  it.each<{
    version: '1.2' | '2004'
    interactions: Record<string, string>
    objectives: Record<string, string>
  }>([
    {
      version: '2004',
      interactions: {
        'cmi.interactions.0.id': 'q1',
        'cmi.interactions.0.type': 'choice',
        'cmi.interactions.0.timestamp': '2026-12-01T10:00:00Z',
        'cmi.interactions.0.weighting': '2',
        'cmi.interactions.0.learner_response': 'b',
        'cmi.interactions.0.result': 'correct',
        'cmi.interactions.0.latency': 'PT12S',
        'cmi.interactions.0.description': 'Pick b',
        'cmi.interactions.0.correct_responses.0.pattern': 'b',
        'cmi.interactions.0.objectives.0.id': 'obj-1',
        'cmi.interactions.1.id': 'q2',
        'cmi.interactions.1.type': 'fill-in',
        'cmi.interactions.1.learner_response': 'forty two',
        'cmi.interactions.1.result': 'incorrect',
      },
      objectives: {
        'cmi.objectives.0.id': 'obj-1',
        'cmi.objectives.0.success_status': 'passed',
        'cmi.objectives.0.score.scaled': '0.5',
      },
    },
    {
      version: '1.2',
      interactions: {
        'cmi.interactions.0.id': 'q1',
        'cmi.interactions.0.type': 'choice',
        'cmi.interactions.0.time': '10:00:00',
        'cmi.interactions.0.weighting': '2',
        'cmi.interactions.0.student_response': 'b',
        'cmi.interactions.0.result': 'correct',
        'cmi.interactions.0.latency': '0000:00:12',
        'cmi.interactions.0.correct_responses.0.pattern': 'b',
        'cmi.interactions.0.objectives.0.id': 'obj-1',
        'cmi.interactions.1.id': 'q2',
        'cmi.interactions.1.type': 'fill-in',
        'cmi.interactions.1.student_response': 'forty two',
        'cmi.interactions.1.result': 'wrong',
      },
      objectives: {
        'cmi.objectives.0.id': 'obj-1',
        'cmi.objectives.0.status': 'passed',
        'cmi.objectives.0.score.raw': '50',
      },
    },
  ])('SCORM $version', async ({ version, interactions, objectives }) => {
    const { packageId } = await importScormPackage(campus.deps.scorm, {
      orgId: ORG,
      bytes: buildPackage({ version, title: `Interactions ${version}` }),
      origin: 'i.zip',
      via: 'cli',
    })
    const first = await launch(packageId)
    expect(Object.keys(first.state).some((k) => k.startsWith('cmi.interactions.'))).toBe(false)
    const status: Record<string, string> =
      version === '1.2'
        ? { 'cmi.core.lesson_status': 'passed' }
        : { 'cmi.completion_status': 'completed' }
    const res = await commit(first.commitUrl, { ...interactions, ...objectives, ...status })
    expect(res.status).toBe(200)

    const again = await launch(packageId)
    for (const [key, value] of Object.entries({ ...interactions, ...objectives })) {
      expect(again.state[key], key).toBe(value)
    }

    // A new attempt starts with none of them.
    expect(
      (await postForm(campus.app, `/scorm/packages/${packageId}/attempts`, {}, { cookie })).status,
    ).toBe(303)
    const fresh = await launch(packageId)
    expect(Object.keys(fresh.state).some((k) => k.startsWith('cmi.interactions.'))).toBe(false)
    expect(Object.keys(fresh.state).some((k) => k.startsWith('cmi.objectives.'))).toBe(false)
  })
})
