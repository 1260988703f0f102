/**
 * The launch endpoints are rate limited: the learner player per signed-in user (another
 * learner is not affected), the dispatch launch per client IP (another IP is not affected),
 * each refusal a 429 problem+json with `Retry-After` naming its policy (the dispatch one
 * readable by the launcher's origin). With Redis paused the in-process insurance limiter
 * still bounds launches and admits the first ones.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { LAUNCH_LIMITS } from '../../src/scorm/launch-limits.js'
import { members, signIn } from '../admin-area/support.js'
import { send } from '../auth/support.js'
import { dispatchFixture, LMS_ORIGIN } from '../dispatch/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ORG = 'org-school-01'
type Problem = { code?: string; status: number; 'violated-policies'?: string[] }

describe('launch rate limits', () => {
  let redis: RedisServer
  let campus: TestCampus
  let packageId = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    packageId = (
      await importScormPackage(campus.deps.scorm, {
        orgId: ORG,
        bytes: buildPackage({ version: '1.2', title: 'Limited' }),
        origin: 'limited.zip',
        via: 'cli',
      })
    ).packageId
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('limits learner launches per user', async () => {
    const [a, b] = await members(campus, ORG, 'student')
    const first = (await signIn(campus, a?.id ?? '', ORG, 'student')).cookie
    const second = (await signIn(campus, b?.id ?? '', ORG, 'student')).cookie
    const { limit, name } = LAUNCH_LIMITS.learner
    for (let i = 0; i < limit; i++) {
      const res = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie: first })
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit-policy')).toContain(name)
    }
    const refused = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie: first })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as Problem)['violated-policies']).toEqual([name])
    // Another learner launches as usual.
    const other = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie: second })
    expect(other.status).toBe(200)
  })

  it('limits dispatch launches per client IP, and the launcher can read the refusal', async () => {
    const f = await dispatchFixture(dispatchRuntimeOf(campus.deps), ORG, { packageId })
    const launchFrom = (ip: string, learnerId: string) =>
      send(
        campus.app,
        `/api/dispatch/${f.dispatch.id}/launch`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: LMS_ORIGIN },
          body: JSON.stringify({ key: f.key, learnerId }),
        },
        { ip },
      )
    const { limit, name } = LAUNCH_LIMITS.dispatch
    for (let i = 0; i < limit; i++) {
      expect((await launchFrom('203.0.113.5', `ip-learner-${i % 3}`)).status).toBeLessThan(300)
    }
    const refused = await launchFrom('203.0.113.5', 'ip-learner-0')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('access-control-allow-origin')).toBe(LMS_ORIGIN)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as Problem)['violated-policies']).toEqual([name])
    expect((await launchFrom('203.0.113.6', 'ip-learner-0')).status).toBe(200)
  })

  it('with Redis paused the insurance limiter admits launches and still bounds them', async () => {
    const [, , c] = await members(campus, ORG, 'student')
    const cookie = (await signIn(campus, c?.id ?? '', ORG, 'student')).cookie
    await redis.pause()
    try {
      const res = await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie })
      expect(res.status).toBe(200)
      let status = 200
      for (let i = 1; i <= LAUNCH_LIMITS.learner.limit && status === 200; i++) {
        status = (await send(campus.app, `/scorm/packages/${packageId}`, {}, { cookie })).status
      }
      expect(status).toBe(429)
    } finally {
      await redis.resume()
    }
  })
})
