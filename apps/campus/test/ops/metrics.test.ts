/**
 * The operations metrics in `/metrics`: per-route latency histogram and error counts,
 * rate-limit denials (the cache clear's own limit among them), lock contention, idempotency
 * replays and Redis errors, each caused for real against a private Redis.
 */
import { requestFingerprint } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_CLEAR_LIMIT, CACHE_CLEAR_POLICY } from '../../src/ops/cache-clear-limit.js'
import { deniedPolicy, routeLabel } from '../../src/ops/request-metrics.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'

const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }

/** The value of one sample line of the exposition, or undefined when absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}

describe('operations metrics', () => {
  let redis: RedisServer
  let campus: TestCampus
  const metrics = async () => (await campus.app.request('/metrics')).text()
  /** After a pause the breaker stays open a while; later steps need Redis answering again. */
  async function untilRedisAnswers(): Promise<void> {
    const deadline = Date.now() + 10_000
    for (;;) {
      try {
        await campus.satchel.redis.exec('test.ping', (r) => r.ping())
        return
      } catch (error) {
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('times requests per route pattern, never per raw path', async () => {
    const { course } = SMALL_FIXTURES
    expect((await campus.app.request(course.path)).status).toBe(200)
    expect((await campus.app.request('/no-such-subject/at-all/here')).status).toBe(404)
    const text = await metrics()
    const count = sample(text, 'campus_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/:subject/:course',
      status_class: '2xx',
    })
    expect(count).toBeGreaterThanOrEqual(1)
    expect(text).not.toContain(`route="${course.path}"`)
    expect(
      sample(text, 'campus_http_request_duration_seconds_count', { status_class: '4xx' }),
    ).toBeGreaterThanOrEqual(1)
  })

  it('counts 5xx answers as errors per route', async () => {
    // Clearing while Redis is paused answers 503 (the clear could not run).
    await redis.pause()
    try {
      const res = await campus.app.request('/api/admin/cache/clear', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status).toBe(503)
    } finally {
      await redis.resume()
    }
    const text = await metrics()
    expect(
      sample(text, 'campus_http_errors_total', {
        route: '/api/admin/cache/clear',
        status: '503',
      }),
    ).toBe(1)
    // The paused server made satchel's commands fail: counted by operation.
    expect(text).toMatch(/campus_redis_errors_total\{operation="[^"]+",reason="[^"]+"\} [1-9]/)
  })

  it('limits cache clears per caller: 429 with RateLimit headers, counted as a denial', async () => {
    await untilRedisAnswers()
    // The paused clear above reached Redis after the resume and took one unit of the quota;
    // this test starts from a fresh one (tests may use KEYS).
    const client = campus.satchel.redis.client
    const quota = (await client?.keys(`campus:rl:${CACHE_CLEAR_POLICY}:*`)) ?? []
    if (quota.length > 0) await client?.del(...quota)
    const clear = () =>
      campus.app.request('/api/admin/cache/clear', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ pattern: 'no-such-family:*' }),
      })
    const statuses: number[] = []
    for (let i = 0; i < CACHE_CLEAR_LIMIT + 1; i++) statuses.push((await clear()).status)
    expect(statuses.slice(0, CACHE_CLEAR_LIMIT).every((s) => s === 200)).toBe(true)
    const denied = await clear()
    expect(denied.status).toBe(429)
    expect(denied.headers.get('content-type')).toContain('application/problem+json')
    expect(denied.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(denied.headers.get('ratelimit-policy')).toBe(
      `"${CACHE_CLEAR_POLICY}";q=${CACHE_CLEAR_LIMIT};w=60`,
    )
    // The stats GET is not limited.
    expect((await campus.app.request('/api/admin/cache/stats', { headers: AUTH })).status).toBe(200)
    const text = await metrics()
    expect(
      sample(text, 'campus_rate_limit_denials_total', {
        policy: CACHE_CLEAR_POLICY,
        route: '/api/admin/cache/clear',
      }),
    ).toBe(2)
  })

  it('counts lock contention and idempotent replays from satchel events', async () => {
    const held = await campus.satchel.locks.acquire('metrics-test:1', { ttl: '10s' })
    await expect(
      campus.satchel.locks.acquire('metrics-test:1', { ttl: '10s', retry: false }),
    ).rejects.toMatchObject({ code: 'E_LOCK_CONTENDED' })
    await held.release()

    const idem = campus.satchel.idempotency({})
    const request = {
      key: 'metrics-key-1',
      endpoint: 'metrics-test',
      orgId: 'org-a',
      principal: 'u1',
      fingerprint: requestFingerprint({ method: 'POST', path: '/x', body: '{}' }),
    }
    const first = await idem.begin(request)
    expect(first.kind).toBe('new')
    if (first.kind === 'new') await first.complete({ status: 200, headers: [], body: 'ok' })
    expect((await idem.begin(request)).kind).toBe('replay')

    const text = await metrics()
    expect(sample(text, 'campus_lock_contended_total', { family: 'metrics-test' })).toBe(1)
    expect(sample(text, 'campus_idempotency_outcomes_total', { outcome: 'replay' })).toBe(1)
    expect(sample(text, 'campus_idempotency_outcomes_total', { outcome: 'new' })).toBe(1)
  })

  it('labels: unmatched routes and policy names from RateLimit-Policy', () => {
    expect(routeLabel('*')).toBe('unmatched')
    expect(routeLabel('/api/x/:id')).toBe('/api/x/:id')
    expect(deniedPolicy('"auth-login";q=10;w=60')).toBe('auth-login')
    expect(deniedPolicy(null)).toBe('unknown')
  })
})
