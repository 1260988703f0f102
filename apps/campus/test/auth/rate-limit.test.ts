import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { ACCOUNTS, DEMO_PASSWORD, postForm, postJson, sessionCookie } from './support.js'

interface Problem {
  type: string
  status: number
  'violated-policies': string[]
}

describe('sign-in rate limits', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({
      redisUrl: redis.url,
      // One trusted proxy network, so tests can vary the client through X-Forwarded-For.
      auth: { trustedProxies: ['10.0.0.0/8'] },
    })
    await seedDemoAccounts(campus.database.db)
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  const via = (client: string) => ({ ip: '10.0.0.2', headers: { 'x-forwarded-for': client } })
  const login = (email: string, password: string, client: string) =>
    postJson(campus.app, '/api/auth/login', { email, password }, via(client))

  it('sends RateLimit and RateLimit-Policy for both policies on every answer', async () => {
    const res = await login(ACCOUNTS.admin, 'wrong-password-1', '203.0.113.1')
    expect(res.status).toBe(401)
    const policy = res.headers.get('ratelimit-policy') ?? ''
    expect(policy).toContain('"auth-login-ip";q=30;w=300')
    expect(policy).toContain('"auth-login-account";q=10;w=900')
    const limit = res.headers.get('ratelimit') ?? ''
    expect(limit).toMatch(/"auth-login-ip";r=29;t=\d+/)
    expect(limit).toMatch(/"auth-login-account";r=9;t=\d+/)
  })

  it('the per-account limit stops guessing from many IPs: 429 problem+json with Retry-After', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (await login(ACCOUNTS.teacher, `guess-${i}-password`, `203.0.113.${10 + i}`)).status,
      )
    }
    expect(statuses).toEqual(Array(10).fill(401))
    // Even the right password is refused now: the account is locked for the window.
    const blocked = await login(ACCOUNTS.teacher, DEMO_PASSWORD, '203.0.113.99')
    expect(blocked.status).toBe(429)
    expect(blocked.headers.get('content-type')).toBe('application/problem+json')
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await blocked.json()) as Problem
    expect(body.status).toBe(429)
    expect(body.type).toContain('quota-exceeded')
    expect(body['violated-policies']).toEqual(['auth-login-account'])
    expect(sessionCookie(blocked)).toBeUndefined()
  }, 180_000)

  it('a successful sign-in resets the per-account count', async () => {
    const client = '203.0.113.50'
    for (let i = 0; i < 9; i++) {
      expect((await login(ACCOUNTS.student, `wrong-${i}-password`, client)).status).toBe(401)
    }
    expect((await login(ACCOUNTS.student, DEMO_PASSWORD, client)).status).toBe(200)
    // Nine more failures are allowed again (without the reset the second would be refused).
    for (let i = 0; i < 9; i++) {
      const res = await login(ACCOUNTS.student, `again-${i}-password`, client)
      expect(res.status).toBe(401)
    }
  }, 180_000)

  it('the per-IP limit stops one client spraying many accounts', async () => {
    const client = '198.51.100.200'
    for (let i = 0; i < 30; i++) {
      const res = await login(`nobody${i}@campus.example`, 'some-password', client)
      expect(res.status).toBe(401)
    }
    const blocked = await login('nobody-else@campus.example', 'some-password', client)
    expect(blocked.status).toBe(429)
    expect(((await blocked.json()) as Problem)['violated-policies']).toEqual(['auth-login-ip'])
    // Another client is unaffected.
    expect((await login('nobody@campus.example', 'x', '198.51.100.201')).status).toBe(401)
  }, 180_000)

  it('X-Forwarded-For from an untrusted peer is ignored', async () => {
    // The socket is not a trusted proxy: every request counts against 192.0.2.9 whatever it claims.
    for (let i = 0; i < 30; i++) {
      await postJson(
        campus.app,
        '/api/auth/login',
        { email: `spray${i}@campus.example`, password: 'pw' },
        { ip: '192.0.2.9', headers: { 'x-forwarded-for': `203.0.114.${i}` } },
      )
    }
    const res = await postJson(
      campus.app,
      '/api/auth/login',
      { email: 'spray@campus.example', password: 'pw' },
      { ip: '192.0.2.9', headers: { 'x-forwarded-for': '203.0.114.250' } },
    )
    expect(res.status).toBe(429)
  }, 180_000)

  it('magic-link requests: 3 per email, then 429', async () => {
    const email = ACCOUNTS.admin
    for (let i = 0; i < 3; i++) {
      const res = await postJson(
        campus.app,
        '/api/auth/magic/request',
        { email },
        via(`203.0.113.${120 + i}`),
      )
      expect(res.status).toBe(202)
      expect(res.headers.get('ratelimit-policy')).toContain('"auth-magic-email";q=3;w=900')
    }
    const blocked = await postJson(
      campus.app,
      '/api/auth/magic/request',
      { email },
      via('203.0.113.130'),
    )
    expect(blocked.status).toBe(429)
    expect(((await blocked.json()) as Problem)['violated-policies']).toEqual(['auth-magic-email'])
  })

  it('onboarding: 10 attempts per invitation, then 429', async () => {
    const token = 'A'.repeat(43)
    for (let i = 0; i < 10; i++) {
      const res = await postJson(
        campus.app,
        '/api/auth/onboarding',
        { token, password: 'long-enough-password', givenName: 'A', familyName: 'B' },
        via(`203.0.113.${140 + i}`),
      )
      expect(res.status).toBe(400)
    }
    const blocked = await postJson(
      campus.app,
      '/api/auth/onboarding',
      { token, password: 'long-enough-password', givenName: 'A', familyName: 'B' },
      via('203.0.113.160'),
    )
    expect(blocked.status).toBe(429)
  }, 180_000)

  it('the login page answers 429 as a page with Retry-After', async () => {
    const res = await postForm(
      campus.app,
      '/login',
      { email: ACCOUNTS.teacher, password: DEMO_PASSWORD },
      via('203.0.113.200'),
    )
    expect(res.status).toBe(429)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await res.text()).toContain('Too many attempts')
  })

  it('fails open when Redis is down: sign-in works, only the policy is announced', async () => {
    await redis.pause()
    try {
      const res = await login(ACCOUNTS.operator, DEMO_PASSWORD, '203.0.113.210')
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit-policy')).toContain('auth-login-account')
      expect(res.headers.get('ratelimit')).toBeNull()
    } finally {
      await redis.resume()
    }
  })
})
