import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyRateLimitHeaders,
  honoRateLimit,
  QUOTA_EXCEEDED_TYPE,
  rateLimit,
} from '../../src/http/rate-limit.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { ipIdentifier, type RateLimiter } from '../../src/ratelimit/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

let server: RedisServer
let satchel: Satchel
let seq = 0

beforeAll(async () => {
  server = await startRedis()
  satchel = createSatchel({ redis: server.url, prefix: 'rlh', timeouts: { commandMs: 1000 } })
  await satchel.connect()
})
afterAll(async () => {
  await satchel.close()
  await server.stop()
})

function loginLimiter(): RateLimiter {
  return satchel.rateLimiter({
    name: `login-${++seq}`,
    algorithm: 'fixed-window',
    limit: 2,
    window: '1h',
  })
}

const clientIp = (request: Request) => ipIdentifier(request.headers.get('x-real-ip'))

function post(ip: string): Request {
  return new Request('http://campus.test/api/auth/login', {
    method: 'POST',
    headers: { 'x-real-ip': ip },
  })
}

/** A window end within one hour: `t` counts down to it. */
function expectHeaders(response: Response, name: string, remaining: number): void {
  expect(response.headers.get('ratelimit-policy')).toBe(`"${name}";q=2;w=3600`)
  const field = response.headers.get('ratelimit')
  const match = /^"([^"]+)";r=(\d+);t=(\d+)$/.exec(field ?? '')
  expect(match?.[1]).toBe(name)
  expect(Number(match?.[2])).toBe(remaining)
  expect(Number(match?.[3])).toBeGreaterThan(0)
  expect(Number(match?.[3])).toBeLessThanOrEqual(3600)
}

async function expect429(response: Response, name: string): Promise<void> {
  expect(response.status).toBe(429)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const retryAfter = Number(response.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThan(0)
  expect(retryAfter).toBeLessThanOrEqual(3600)
  // Retry-After does not point before the end of the effective window.
  expect(response.headers.get('ratelimit')).toBe(`"${name}";r=0;t=${retryAfter}`)
  expect(await response.json()).toEqual({
    type: QUOTA_EXCEEDED_TYPE,
    title: 'Too Many Requests',
    status: 429,
    detail: `Rate limit "${name}" exceeded; retry in ${retryAfter} s.`,
    'violated-policies': [name],
  })
}

describe('rate-limit HTTP middleware', () => {
  it('works in a plain Fetch handler shaped like a Next.js route handler', async () => {
    const limiter = loginLimiter()
    const limitLogin = rateLimit(limiter, { identify: clientIp })
    let handled = 0
    // app/api/auth/login/route.ts
    async function POST(request: Request): Promise<Response> {
      return limitLogin(request, async () => {
        handled++
        return Response.json({ ok: true })
      })
    }
    const first = await POST(post('203.0.113.1'))
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ ok: true })
    expectHeaders(first, limiter.options.name, 1)
    expectHeaders(await POST(post('203.0.113.1')), limiter.options.name, 0)
    await expect429(await POST(post('203.0.113.1')), limiter.options.name)
    expect(handled).toBe(2)
    // Another client is not affected.
    expect((await POST(post('203.0.113.2'))).status).toBe(200)
  })

  it('check() gives the decision first, and apply() adds headers even to immutable responses', async () => {
    const limiter = loginLimiter()
    const limitLogin = rateLimit(limiter, { identify: clientIp, cost: () => 2 })
    const check = await limitLogin.check(post('198.51.100.1'))
    expect(check.response).toBeNull()
    expect(check.result).toMatchObject({ success: true, remaining: 0 })
    // Response.redirect() has immutable headers.
    const redirect = check.apply(Response.redirect('http://campus.test/home', 303))
    expect(redirect.status).toBe(303)
    expect(redirect.headers.get('location')).toBe('http://campus.test/home')
    expectHeaders(redirect, limiter.options.name, 0)
    const rejected = await limitLogin.check(post('198.51.100.1'))
    expect(rejected.response).not.toBeNull()
    await expect429(rejected.response!, limiter.options.name)
    const plain = applyRateLimitHeaders(new Response('x'), rejected.headers)
    expect(plain.headers.get('retry-after')).toBe(rejected.headers.get('retry-after'))
  })

  it('stacked limiters each report their policy; Retry-After keeps the longest wait', async () => {
    const perIp = loginLimiter()
    const perAccount = satchel.rateLimiter({
      name: `account-${++seq}`,
      algorithm: 'fixed-window',
      limit: 5,
      window: '1m',
    })
    const byIp = rateLimit(perIp, { identify: clientIp })
    const byAccount = rateLimit(perAccount, { identify: () => 'email:a@example.org' })
    const handler = (request: Request) =>
      byIp(request, (inner) => byAccount(inner, async () => new Response('ok')))
    const response = await handler(post('198.51.100.7'))
    expect(response.status).toBe(200)
    const policies = response.headers.get('ratelimit-policy') ?? ''
    expect(policies).toContain(`"${perIp.options.name}";q=2;w=3600`)
    expect(policies).toContain(`"${perAccount.options.name}";q=5;w=60`)
    const fields = (response.headers.get('ratelimit') ?? '').split(', ')
    expect(fields).toHaveLength(2)
  })

  it('works as Hono middleware through app.request()', async () => {
    const limiter = loginLimiter()
    const app = new Hono()
    app.post(
      '/api/auth/login',
      honoRateLimit(limiter, { identify: (c) => ipIdentifier(c.req.header('x-real-ip')) }),
      (c) => c.json({ ok: true }, 201),
    )
    app.get('/api/redirect', honoRateLimit(limiter, { identify: () => 'fixed' }), (c) =>
      c.redirect('/elsewhere'),
    )
    const ok = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'x-real-ip': '192.0.2.7' },
    })
    expect(ok.status).toBe(201)
    expect(await ok.json()).toEqual({ ok: true })
    expectHeaders(ok, limiter.options.name, 1)
    await app.request('/api/auth/login', { method: 'POST', headers: { 'x-real-ip': '192.0.2.7' } })
    const limited = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'x-real-ip': '192.0.2.7' },
    })
    await expect429(limited, limiter.options.name)
    const redirect = await app.request('/api/redirect')
    expect(redirect.status).toBe(302)
    expectHeaders(redirect, limiter.options.name, 1)
  })

  it('stacked Hono limiters each add their RateLimit and RateLimit-Policy items', async () => {
    const perIp = loginLimiter() // 2 per hour
    const perAccount = satchel.rateLimiter({
      name: `account-${++seq}`,
      algorithm: 'fixed-window',
      limit: 1,
      window: '1m',
    })
    const app = new Hono()
    app.post(
      '/api/auth/login',
      honoRateLimit(perIp, { identify: () => 'ip:192.0.2.8' }),
      honoRateLimit(perAccount, { identify: () => 'email:b@example.org' }),
      (c) => c.json({ ok: true }),
    )
    const ok = await app.request('/api/auth/login', { method: 'POST' })
    expect(ok.status).toBe(200)
    const policies = (ok.headers.get('ratelimit-policy') ?? '').split(', ')
    expect(policies.sort()).toEqual(
      [`"${perIp.options.name}";q=2;w=3600`, `"${perAccount.options.name}";q=1;w=60`].sort(),
    )
    const fields = (ok.headers.get('ratelimit') ?? '').split(', ')
    expect(fields.map((f) => f.split(';')[0]).sort()).toEqual(
      [`"${perIp.options.name}"`, `"${perAccount.options.name}"`].sort(),
    )
    // The inner limiter rejects: its 429 still carries the outer limiter's items, and
    // Retry-After is the longer of the two waits (only the inner one rejected).
    const limited = await app.request('/api/auth/login', { method: 'POST' })
    expect(limited.status).toBe(429)
    expect((limited.headers.get('ratelimit-policy') ?? '').split(', ')).toHaveLength(2)
    expect((limited.headers.get('ratelimit') ?? '').split(', ')).toHaveLength(2)
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
  })

  it('sends only the policy when the flag is off or Redis is down and the policy admitted', async () => {
    const memoryOnly = createSatchel({ prefix: 'rlh' })
    const limiter = memoryOnly.rateLimiter({ name: 'open', limit: 2, window: '1m' })
    const response = await rateLimit(limiter, { identify: () => 'x' })(
      post('1.1.1.1'),
      () => new Response('ok'),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-policy')).toBe('"open";q=2;w=60')
    expect(response.headers.get('ratelimit')).toBeNull()
    await memoryOnly.close()
  })

  it('answers 429 without Retry-After for a cost that can never pass', async () => {
    const limiter = loginLimiter()
    const response = await rateLimit(limiter, { identify: () => 'big', cost: 3 })(
      post('1.1.1.1'),
      () => new Response('ok'),
    )
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBeNull()
    expect(response.headers.get('ratelimit')).toBe(`"${limiter.options.name}";r=2`)
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /cannot admit a request of this cost/,
    )
  })
})
