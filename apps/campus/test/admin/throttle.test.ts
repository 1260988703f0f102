/**
 * Failures throttled per client address. Failed admin-token attempts: after ADMIN_FAILURE_LIMIT wrong
 * tokens an address gets 429 for every admin request, the right token included, while other
 * addresses are unaffected. Served on a real socket behind a trusted proxy, so X-Forwarded-For
 * names the client. 404s past their limit become 429.
 */
import type { ServerType } from '@hono/node-server'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { ADMIN_FAILURE_LIMIT, NOT_FOUND_LIMIT } from '../../src/security/failure-throttle.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { listen } from '../../src/server/listen.js'
import { trustProxies } from '../../src/web/client-ip.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import { BUILDER } from './builder-support.js'

const COURSE = `${BUILDER}/courses/${SMALL_FIXTURES.course.id}`

describe('admin token throttle', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: ServerType
  let base = ''
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const app = createApp({
      ...campus.deps,
      auth: { ...campus.deps.auth, trustedProxies: trustProxies(['127.0.0.1']) },
    })
    const listening = await listen(app, {
      port: 0,
      hostname: '127.0.0.1',
      limits: loadConfig({}).http,
    })
    server = listening.server
    base = `http://127.0.0.1:${listening.port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await campus?.close()
    await redis?.stop()
  })

  const request = (client: string, token: string) =>
    fetch(`${base}${COURSE}`, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
    })

  it('blocks an address after too many wrong tokens, right token included; others go on', async () => {
    const attacker = '203.0.113.7'
    for (let i = 0; i < ADMIN_FAILURE_LIMIT; i++) {
      const res = await request(attacker, `wrong-token-${i}`)
      expect(res.status, `attempt ${i + 1}`).toBe(401)
      await res.body?.cancel()
    }
    const over = await request(attacker, 'wrong-token-over')
    expect(over.status).toBe(429)
    expect(over.headers.get('content-type')).toBe('application/problem+json')
    expect(over.headers.get('cache-control')).toBe('no-store')
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(over.headers.get('ratelimit-policy')).toMatch(/^"admin-auth-failures";q=10;w=900$/)
    await over.body?.cancel()

    const blocked = await request(attacker, TEST_ADMIN_TOKEN)
    expect(blocked.status).toBe(429)
    await blocked.body?.cancel()
    const admin = await request('198.51.100.4', TEST_ADMIN_TOKEN)
    expect(admin.status).toBe(200)
    await admin.body?.cancel()
  })

  it('successful requests never count', async () => {
    for (let i = 0; i < ADMIN_FAILURE_LIMIT + 5; i++) {
      const res = await request('198.51.100.9', TEST_ADMIN_TOKEN)
      expect(res.status).toBe(200)
      await res.body?.cancel()
    }
  })

  it('404s past NOT_FOUND_LIMIT a minute become 429 for that address only', async () => {
    const walker = '203.0.113.50'
    const get = (client: string, path: string) =>
      fetch(`${base}${path}`, { headers: { 'x-forwarded-for': client } })
    for (let i = 0; i < NOT_FOUND_LIMIT; i++) {
      const res = await get(walker, `/made-up-subject-${i}`)
      expect(res.status, `request ${i + 1}`).toBe(404)
      await res.body?.cancel()
    }
    const over = await get(walker, '/made-up-subject-over')
    expect(over.status).toBe(429)
    expect(over.headers.get('cache-control')).toBe('no-store')
    expect(over.headers.get('ratelimit-policy')).toMatch(/^"not-found";q=120;w=60$/)
    await over.body?.cancel()
    // Pages that exist still answer, and other addresses still get their 404.
    const page = await get(walker, SMALL_FIXTURES.course.path)
    expect(page.status).toBe(200)
    await page.body?.cancel()
    const other = await get('198.51.100.77', '/made-up-subject-x')
    expect(other.status).toBe(404)
    await other.body?.cancel()
  })
})
