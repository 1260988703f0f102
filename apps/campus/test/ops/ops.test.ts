import { createSatchel, type HealthReport } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { contentKeys } from '../../src/content/keys.js'
import type { DetailedHealth } from '../../src/ops/health.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import { openCampusTestDatabase } from '../support/db.js'

const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
const { course, lesson } = SMALL_FIXTURES

describe('operations endpoints', () => {
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

  /** After a pause the breaker stays open a while; later tests need Redis answering again. */
  async function untilRedisAnswers(): Promise<void> {
    const deadline = Date.now() + 10_000
    for (;;) {
      try {
        await campus.satchel.redis.exec('test.ping', (client) => client.ping())
        return
      } catch (error) {
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }
  const keyCount = async (key: string): Promise<number> =>
    (await campus.satchel.redis.client?.exists(key)) ?? 0
  const clear = (body: unknown, headers: Record<string, string> = AUTH) =>
    campus.app.request('/api/admin/cache/clear', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('/health/detailed reports the database, Redis and the cache', async () => {
    // satchel's PING bound is 50 ms; on a loaded test machine one PING may miss it and report
    // degraded, which is the point of the bound. Ask again rather than fail on scheduling.
    let res = await campus.app.request('/health/detailed')
    for (
      let i = 0;
      i < 20 && ((await res.clone().json()) as { status: string }).status !== 'healthy';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      res = await campus.app.request('/health/detailed')
    }
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      status: 'healthy',
      services: {
        database: { status: 'healthy' },
        redis: { status: 'healthy', connection: 'ready' },
        cache: { status: 'healthy', mode: 'redis' },
      },
    })
    expect(typeof body.uptime).toBe('number')
    expect(Date.parse(String(body.timestamp))).not.toBeNaN()
    const services = body.services as { database: { responseTimeMs: number } }
    expect(services.database.responseTimeMs).toBeGreaterThan(0)
  })

  it('/health/detailed is 200 degraded within a second while Redis is hung', async () => {
    // The production command bound; test campuses use a looser one (TEST_TIMEOUTS).
    const satchel = createSatchel({
      redis: redis.url,
      prefix: 'campus',
      timeouts: { commandMs: 50 },
    })
    await satchel.connect()
    const app = createApp({ ...campus.deps, satchel })
    await redis.pause()
    try {
      const started = performance.now()
      const res = await app.request('/health/detailed')
      expect(performance.now() - started).toBeLessThan(1_000)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        status: 'degraded',
        services: {
          database: { status: 'healthy' },
          redis: { status: 'unhealthy' },
          cache: { status: 'degraded' },
        },
      })
      // Why Redis is down is for the admin token's holder; an anonymous caller sees the status.
      const anonymous = (await (await app.request('/health/detailed')).json()) as DetailedHealth
      expect(anonymous.services.redis.status).toBe('unhealthy')
      expect(anonymous.services.redis).not.toHaveProperty('error')
      const basic = (await (await app.request('/health')).json()) as HealthReport
      expect(basic.redis.status).toBe('down')
      expect(basic.redis).not.toHaveProperty('error')
      const admin = (await (
        await app.request('/health/detailed', { headers: AUTH })
      ).json()) as DetailedHealth
      expect(admin.services.redis.error).toMatch(/\S/)
      const adminBasic = (await (
        await app.request('/health', { headers: AUTH })
      ).json()) as HealthReport
      expect(adminBasic.redis.error).toMatch(/\S/)
    } finally {
      await redis.resume()
      await satchel.close()
      await untilRedisAnswers()
    }
  })

  it('/health/detailed is 503 when the database is down', async () => {
    const gone = await openCampusTestDatabase()
    await gone.close()
    const app = createApp({ ...campus.deps, database: gone })
    const res = await app.request('/health/detailed')
    expect(res.status).toBe(503)
    const body = (await res.json()) as DetailedHealth
    expect(body).toMatchObject({
      status: 'unhealthy',
      services: { database: { status: 'unhealthy', responseTimeMs: null } },
    })
    expect(body.services.database).not.toHaveProperty('error')
    const admin = await app.request('/health/detailed', { headers: AUTH })
    expect(((await admin.json()) as DetailedHealth).services.database.error).toMatch(/\S/)
    // Admin failures are problem+json too, and never cacheable.
    const tree = await app.request(`/api/admin/course-builder/courses/${course.id}`, {
      headers: AUTH,
    })
    expect(tree.status).toBe(500)
    expect(tree.headers.get('content-type')).toBe('application/problem+json')
    expect(tree.headers.get('cache-control')).toBe('no-store')
  })

  it('/metrics has campus bundle fetches, satchel and process metrics', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await campus.app.request(`/api/content${lesson.path}`)).status).toBe(200)
      expect((await campus.app.request(course.path)).status).toBe(200)
    }
    const res = await campus.app.request('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/^campus_bundle_fetches_total\{route="[^"]+",outcome="bundle_hit"\} \d+/m)
    expect(text).toMatch(/^campus_bundle_fetches_total\{[^}]*outcome="bundle_miss"\} \d+/m)
    expect(text).toMatch(/^satchel_cache_hits_total\{namespace="root",tier="l1"\} [1-9]/m)
    expect(text).toContain('satchel_breaker_state')
    expect(text).toContain('process_cpu_user_seconds_total')
    // A second app on the same deps must not register the collectors twice.
    const again = await createApp(campus.deps).request('/metrics')
    expect(again.status).toBe(200)
  })

  it('/metrics needs METRICS_TOKEN as a Bearer token when one is set', async () => {
    const metricsToken = 'metrics-token-5b1f0c8e2d7a4936be10'
    const app = createApp({ ...campus.deps, metricsToken })
    const anonymous = await app.request('/metrics')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json')
    const wrong = await app.request('/metrics', { headers: AUTH })
    expect(wrong.status).toBe(401)
    const res = await app.request('/metrics', {
      headers: { authorization: `Bearer ${metricsToken}` },
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('campus_bundle_fetches_total')
  })

  it('/api/admin/cache/stats needs the token and answers the seed’s shape', async () => {
    const denied = await campus.app.request('/api/admin/cache/stats')
    expect(denied.status).toBe(401)
    const res = await campus.app.request('/api/admin/cache/stats', { headers: AUTH })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      enabled: boolean
      healthy: boolean
      info: { raw_stats: string; raw_keyspace: string }
      stats: { hits: number }
    }
    expect(body).toMatchObject({ enabled: true, healthy: true })
    expect(body.info.raw_stats).toContain('keyspace_hits')
    expect(body.info.raw_keyspace).toContain('db0')
    expect(typeof body.stats.hits).toBe('number')
  })

  it('/api/admin/cache/clear clears a family by pattern, literally, then all', async () => {
    const keys = contentKeys(campus.satchel)
    const bundle = keys.courseBundle(DISTRICT_ID, course.id)
    const hub = keys.subjectHub(course.subjectSlug)
    await campus.deps.source.subjectHub(course.subjectSlug)
    expect(await keyCount(bundle)).toBe(1)
    expect(await keyCount(hub)).toBe(1)

    expect((await clear({ pattern: 'oneroster-course-bundle:*' }, {})).status).toBe(401)
    // Glob characters in the input are literal: this names a family called "oneroster-*".
    const literal = await clear({ pattern: 'oneroster-*:*' })
    expect(literal.status).toBe(200)
    expect(await literal.json()).toMatchObject({ cleared: { by: 'pattern', removed: 0 } })
    expect(await keyCount(bundle)).toBe(1)

    const res = await clear({ pattern: 'oneroster-course-bundle:*' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { cleared: { removed: number; patterns: string[] } }
    expect(body.cleared.removed).toBeGreaterThan(0)
    expect(body.cleared.patterns).toContain(keys.courseBundlePattern(DISTRICT_ID))
    expect(await keyCount(bundle)).toBe(0)
    expect(await keyCount(hub)).toBe(1)

    // An exact key (no trailing *), global scope.
    const exact = await clear({ pattern: `oneroster-subject-hub:${course.subjectSlug}` })
    expect(await exact.json()).toMatchObject({ cleared: { removed: 1 } })
    expect(await keyCount(hub)).toBe(0)

    await campus.deps.source.subjectHub(course.subjectSlug)
    expect(await keyCount(bundle)).toBe(1)
    const all = await clear({})
    expect(all.status).toBe(200)
    expect(await all.json()).toMatchObject({ cleared: { by: 'all' } })
    expect((await keyCount(bundle)) + (await keyCount(hub))).toBe(0)

    const bad = await clear({ pattern: '*' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ field: 'pattern' })
    const unknown = await clear({ everything: true })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({ field: 'everything' })
  })

  it('/api/admin/cache/clear answers 503 while Redis is hung, and says nothing was cleared', async () => {
    const keys = contentKeys(campus.satchel)
    const bundle = keys.courseBundle(DISTRICT_ID, course.id)
    await campus.deps.source.subjectHub(course.subjectSlug)
    expect(await keyCount(bundle)).toBe(1)
    // Satchel's deletes fail open (a page read must never fail because Redis did): without
    // its own check the endpoint would answer 200 with nothing removed.
    const satchel = createSatchel({
      redis: redis.url,
      prefix: 'campus',
      timeouts: { commandMs: 50 },
    })
    await satchel.connect()
    const app = createApp({ ...campus.deps, satchel })
    const clearOn = (body: unknown) =>
      app.request('/api/admin/cache/clear', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    await redis.pause()
    try {
      for (const body of [{ pattern: 'oneroster-course-bundle:*' }, {}]) {
        const res = await clearOn(body)
        expect(res.status, JSON.stringify(body)).toBe(503)
        expect(res.headers.get('retry-after')).toBe('1')
        expect(await res.json()).toMatchObject({
          status: 503,
          detail: expect.stringMatching(/Redis/),
        })
      }
    } finally {
      await redis.resume()
      await satchel.close()
      await untilRedisAnswers()
    }
    expect(await keyCount(bundle)).toBe(1)
  })

  it('/api/admin/cache is satchel’s own handler behind the same token', async () => {
    const keys = contentKeys(campus.satchel)
    await campus.deps.source.subjectHub(course.subjectSlug)
    const hub = keys.subjectHub(course.subjectSlug)
    expect(await keyCount(hub)).toBe(1)
    const res = await campus.app.request('/api/admin/cache', {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ key: hub }),
    })
    expect(res.status).toBe(200)
    expect(await keyCount(hub)).toBe(0)
    // A JSON body, as an API client sends it: a text/plain post without Origin would be refused
    // earlier, by the CSRF guard (403), and this test is about the token.
    const denied = await campus.app.request('/api/admin/cache', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: hub }),
    })
    expect(denied.status).toBe(401)
  })

  it('/api/v1/cache reports hit rates, Redis health and bundle outcomes', async () => {
    expect((await campus.app.request('/api/v1/cache')).status).toBe(401)
    await campus.app.request(course.path)
    await campus.app.request(course.path)
    const res = await campus.app.request('/api/v1/cache', { headers: AUTH })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      success: boolean
      data: {
        redis: { hits: number; misses: number; hitRate: number; health: Record<string, unknown> }
        performance: Record<string, unknown>
        bundles: { hits: number; misses: number; hitRate: number }
      }
    }
    expect(body.success).toBe(true)
    const { redis: r, bundles } = body.data
    expect(r.hits).toBeGreaterThan(0)
    expect(r.hitRate).toBeGreaterThan(0)
    expect(r.hitRate).toBeLessThanOrEqual(100)
    expect(r.health).toMatchObject({ connected: true })
    expect(typeof r.health.latency).toBe('number')
    expect(body.data.performance).toHaveProperty('hitRateAchieved')
    expect(body.data.performance).toHaveProperty('subMillisecondReads')
    expect(bundles.hits).toBeGreaterThan(0)
    expect(bundles.misses).toBeGreaterThan(0)
  })
})
