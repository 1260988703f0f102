import { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { cacheAdminHandler, cacheAdminRoute } from '../../src/http/cache-admin.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

const TOKEN = 'admin-secret'
const URL_BASE = 'http://campus.test/api/admin/cache'

describe('cache admin handler against a real Redis', () => {
  let server: RedisServer
  let satchel: Satchel
  let raw: Redis
  let handler: (request: Request) => Promise<Response>

  beforeAll(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, prefix: 'campus' })
    await satchel.connect()
    handler = cacheAdminHandler(satchel, {
      authorize: (request) => request.headers.get('authorization') === `Bearer ${TOKEN}`,
    })
  })
  afterAll(async () => {
    await satchel?.close()
    raw?.disconnect()
    await server?.stop()
  })
  beforeEach(async () => {
    await raw.flushdb()
    await raw.config('RESETSTAT')
  })

  const post = (body: unknown, token: string | null = TOKEN) =>
    handler(
      new Request(URL_BASE, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    )

  async function problem(response: Response) {
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    return (await response.json()) as {
      status: number
      title: string
      field?: string
      detail?: string
    }
  }

  it('answers 401 without credentials and 403 with the wrong ones, as problem+json', async () => {
    await satchel.cache.set(satchel.keys.org('o1').key('k'), 'v')
    const anonymous = await post({ key: satchel.keys.org('o1').key('k') }, null)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
    expect((await problem(anonymous)).status).toBe(401)

    const wrong = await post({ key: satchel.keys.org('o1').key('k') }, 'guess')
    expect(wrong.status).toBe(403)
    expect((await problem(wrong)).title).toBe('Forbidden')

    const stats = await handler(new Request(URL_BASE))
    expect(stats.status).toBe(401)
    // Nothing was cleared by the refused requests.
    expect(await raw.exists(satchel.keys.org('o1').key('k'))).toBe(1)
  })

  it('answers 400 naming the offending field', async () => {
    const cases: [unknown, string][] = [
      [{ pattern: 5 }, 'pattern'],
      [{ keys: [] }, 'keys'],
      [{ keys: ['campus:o:o1:a', ''] }, 'keys.1'],
      [{ tag: '' }, 'tag'],
      [{ nope: 'x' }, 'nope'],
      [{}, 'body'],
      [{ key: 'campus:o:o1:a', tag: 't' }, 'body'],
      ['{not json', 'body'],
      [{ key: 'other:o:o1:a' }, 'key'],
      [{ keys: ['campus:o:o1:a', 'other:x'] }, 'keys.1'],
    ]
    for (const [body, field] of cases) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      const details = await problem(response)
      expect(details.field, JSON.stringify(body)).toBe(field)
      expect(details.detail).toContain(field)
    }
  })

  it('answers 413 for a body over the limit', async () => {
    const response = await post({
      keys: Array.from({ length: 900 }, (_, i) => `campus:o:o1:${'x'.repeat(20)}:${i}`),
    })
    expect(response.status).toBe(413)
    expect((await problem(response)).field).toBe('body')
  })

  it('refuses a pattern outside the prefix and never issues KEYS', async () => {
    await raw.set('other:secret', '1')
    await raw.set('campusX:o:1', '1')
    for (const pattern of ['*', 'other:*', 'campus*', 'campusX:*', '?ampus:*']) {
      const response = await post({ pattern })
      expect(response.status, pattern).toBe(400)
      expect((await problem(response)).field).toBe('pattern')
    }
    expect(await raw.exists('other:secret', 'campusX:o:1')).toBe(2)
    const ok = await post({ pattern: 'campus:o:*' })
    expect(ok.status).toBe(200)
    expect(await raw.exists('other:secret', 'campusX:o:1')).toBe(2)
    const commandStats = await raw.info('commandstats')
    expect(commandStats).not.toMatch(/^cmdstat_keys:/m)
    expect(commandStats).toMatch(/^cmdstat_scan:/m)
  })

  it('refuses keys and patterns of other capabilities: limiter and lock state survive', async () => {
    const limiter = satchel.rateLimiter({
      name: 'admin-login',
      algorithm: 'fixed-window',
      limit: 1,
      window: '1m',
    })
    expect((await limiter.limit('user@example.org')).success).toBe(true)
    const lock = await satchel.locks.acquire('report:1', { ttl: '30s' })
    const before = await raw.dbsize()
    for (const pattern of ['campus:*', 'campus:rl:*', 'campus:lock:*', 'campus:idem:*']) {
      const response = await post({ pattern })
      expect(response.status, pattern).toBe(400)
      expect((await problem(response)).field).toBe('pattern')
    }
    const byKey = await post({ keys: ['campus:o:1:x', 'campus:lock:{report%3A1}'] })
    expect(byKey.status).toBe(400)
    expect((await problem(byKey)).field).toBe('keys.1')
    expect(await raw.dbsize()).toBe(before)
    // Still over the limit, and the lock is still ours.
    expect((await limiter.limit('user@example.org')).success).toBe(false)
    expect(await lock.release()).toBe(true)
  })

  it("refuses the cache's own internal family: tag stamps and stampede locks survive", async () => {
    const org = satchel.keys.org('o9')
    await satchel.cache.set(org.key('roster', 1), 'stale', { tags: ['course:9'] })
    await satchel.cache.invalidateTags(['course:9'])
    const stamps = await raw.hgetall('campus:c:tags')
    expect(Object.keys(stamps)).toContain('course:9')
    // A stampede lock held by a load in flight.
    await raw.set(`campus:c:lock:${org.key('roster', 2)}`, 'token', 'PX', 30_000)
    const before = await raw.dbsize()
    for (const body of [
      { key: 'campus:c:tags' },
      { keys: [org.key('roster', 1), `campus:c:lock:${org.key('roster', 2)}`] },
      { pattern: 'campus:c:*' },
      { pattern: 'campus:c:lock:*' },
    ]) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      const field = (await problem(response)).field
      expect(field).toBe('key' in body ? 'key' : 'keys' in body ? 'keys.1' : 'pattern')
    }
    expect(await raw.dbsize()).toBe(before)
    expect(await raw.hgetall('campus:c:tags')).toEqual(stamps)
    // The invalidated entry stays invalidated: no stale value comes back.
    expect(await satchel.cache.get(org.key('roster', 1), { l1: false })).toBeUndefined()
  })

  it('clears by key and keys from both tiers', async () => {
    const org = satchel.keys.org('o1')
    await satchel.cache.set(org.key('a'), 'A')
    await satchel.cache.set(org.key('b'), 'B')
    await satchel.cache.set(org.key('c'), 'C')
    const one = await post({ key: org.key('a') })
    expect(one.status).toBe(200)
    expect(await one.json()).toEqual({ cleared: { by: 'key', removed: 1 } })
    const many = await post({ keys: [org.key('b'), org.key('missing')] })
    expect(await many.json()).toEqual({ cleared: { by: 'key', removed: 1 } })
    expect(await raw.exists(org.key('a'), org.key('b'))).toBe(0)
    // L1 too: the value is gone from this instance, not just from Redis.
    expect(await satchel.cache.get(org.key('a'))).toBeUndefined()
    expect(await satchel.cache.get(org.key('b'))).toBeUndefined()
    expect(await satchel.cache.get(org.key('c'))).toBe('C')
  })

  it('clears by pattern', async () => {
    const org = satchel.keys.org('o2')
    for (let i = 0; i < 30; i++) await satchel.cache.set(org.key('report', i), i)
    await satchel.cache.set(org.key('course', 1), 'keep')
    const response = await post({ pattern: org.pattern('report') })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ cleared: { by: 'pattern', removed: 30 } })
    expect(await raw.exists(org.key('report', 0), org.key('report', 29))).toBe(0)
    expect(await satchel.cache.get(org.key('report', 3))).toBeUndefined()
    expect(await satchel.cache.get(org.key('course', 1))).toBe('keep')
  })

  it('clears by tag', async () => {
    const org = satchel.keys.org('o3')
    await satchel.cache.set(org.key('roster', 1), 'r1', { tags: ['course:1'] })
    await satchel.cache.set(org.key('roster', 2), 'r2', { tags: ['course:2'] })
    const response = await post({ tag: 'course:1' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ cleared: { by: 'tag', removed: null } })
    const loads: string[] = []
    const load = (v: string) => async () => {
      loads.push(v)
      return v
    }
    expect(await satchel.cache.getOrSet(org.key('roster', 1), load('fresh-1'))).toBe('fresh-1')
    expect(await satchel.cache.getOrSet(org.key('roster', 2), load('fresh-2'))).toBe('r2')
    expect(loads).toEqual(['fresh-1'])
  })

  it('clears a namespace and leaves the rest', async () => {
    const bundles = satchel.cache.namespace('bundles')
    await bundles.set('course:1', 'b1')
    await bundles.set('course:2', 'b2')
    const rootKey = satchel.keys.org('o4').key('course', 1)
    await satchel.cache.set(rootKey, 'root')
    const response = await post({ namespace: 'bundles' })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { cleared: { by: string; removed: number } }
    expect(body.cleared.by).toBe('namespace')
    expect(body.cleared.removed).toBeGreaterThanOrEqual(2)
    expect(await bundles.get('course:1')).toBeUndefined()
    expect(await bundles.get('course:2')).toBeUndefined()
    expect(await satchel.cache.get(rootKey)).toBe('root')
    expect(await raw.exists(rootKey)).toBe(1)
  })

  it('serves stats on GET and refuses other methods with 405', async () => {
    const response = await handler(
      new Request(URL_BASE, { headers: { authorization: `Bearer ${TOKEN}` } }),
    )
    expect(response.status).toBe(200)
    const stats = (await response.json()) as { redis: { commands: number } }
    expect(stats.redis.commands).toBeGreaterThan(0)
    const put = await handler(new Request(URL_BASE, { method: 'PUT' }))
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, POST')
  })

  it('runs the rate limit first and returns its response', async () => {
    let authorizeCalls = 0
    const limited = cacheAdminHandler(satchel, {
      authorize: () => {
        authorizeCalls++
        return true
      },
      rateLimit: async () => new Response('slow down', { status: 429 }),
    })
    const response = await limited(new Request(URL_BASE))
    expect(response.status).toBe(429)
    expect(authorizeCalls).toBe(0)
  })

  it('works as a Hono route', async () => {
    const app = new Hono()
    app.on(
      ['GET', 'POST'],
      '/api/admin/cache',
      cacheAdminRoute(satchel, {
        authorize: (r) => (r.headers.get('x-admin') === 'yes' ? true : 'forbidden'),
      }),
    )
    const key = satchel.keys.org('o5').key('k')
    await satchel.cache.set(key, 'v')
    const denied = await app.request('/api/admin/cache', {
      method: 'POST',
      body: JSON.stringify({ key }),
    })
    expect(denied.status).toBe(403)
    const ok = await app.request('/api/admin/cache', {
      method: 'POST',
      headers: { 'x-admin': 'yes', 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    })
    expect(ok.status).toBe(200)
    expect(await raw.exists(key)).toBe(0)
  })
})
