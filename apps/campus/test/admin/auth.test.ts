import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkAdminToken } from '../../src/admin/auth.js'
import { createApp } from '../../src/app.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { adminRequest, BUILDER } from './builder-support.js'

const COURSE = `${BUILDER}/courses/${SMALL_FIXTURES.course.id}`

describe('admin authentication', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  async function expectUnauthorized(res: Response): Promise<void> {
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toMatchObject({ status: 401, code: 'E_UNAUTHENTICATED' })
  }

  it('answers 401 with WWW-Authenticate without a token, on every admin surface', async () => {
    for (const path of [COURSE, '/api/admin/cache/stats', '/api/v1/cache', '/api/admin/cache']) {
      await expectUnauthorized(await adminRequest(campus, 'GET', path, undefined, null))
    }
    await expectUnauthorized(
      await adminRequest(campus, 'POST', `${BUILDER}/resources`, { title: 'x' }, null),
    )
  })

  it('answers 401 for a wrong token, of any length or shared prefix', async () => {
    for (const token of [
      'nope',
      `${'test-admin-token-0123456789'}x`,
      'test-admin-token-012345678',
    ]) {
      await expectUnauthorized(await adminRequest(campus, 'GET', COURSE, undefined, token))
    }
    const basic = await campus.app.request(COURSE, { headers: { authorization: 'Basic abc' } })
    await expectUnauthorized(basic)
  })

  it('lets the right token through', async () => {
    const res = await adminRequest(campus, 'GET', COURSE)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as { data: { course: { sourcedId: string } } }
    expect(body.data.course.sourcedId).toBe(SMALL_FIXTURES.course.id)
  })

  it('answers 503 when no token is configured, whatever the request carries', async () => {
    const app = createApp({ ...campus.deps, adminToken: undefined })
    for (const path of [COURSE, '/api/admin/cache/stats', '/api/v1/cache']) {
      const res = await adminRequest({ app }, 'GET', path)
      expect(res.status).toBe(503)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.json()).toMatchObject({
        status: 503,
        detail: 'admin API disabled: set ADMIN_TOKEN',
      })
    }
  })

  it('compares tokens exactly', () => {
    expect(checkAdminToken('Bearer abc', 'abc')).toBe('ok')
    expect(checkAdminToken('bearer abc', 'abc')).toBe('ok')
    expect(checkAdminToken('Bearer abcd', 'abc')).toBe('unauthenticated')
    expect(checkAdminToken('Bearer ', 'abc')).toBe('unauthenticated')
    expect(checkAdminToken(undefined, 'abc')).toBe('unauthenticated')
    expect(checkAdminToken('Bearer abc', '')).toBe('disabled')
  })
})
