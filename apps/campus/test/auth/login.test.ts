import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disableUser } from '../../src/auth/accounts.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  postEmpty,
  postForm,
  postJson,
  send,
  sessionCookie,
  signIn,
} from './support.js'

describe('password sign-in', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await seedDemoAccounts(campus.database.db)
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('signs each demo role in and answers its principal', async () => {
    for (const [email, role, orgId, operator] of [
      [ACCOUNTS.student, 'student', 'org-school-01', false],
      [ACCOUNTS.teacher, 'teacher', 'org-school-01', false],
      [ACCOUNTS.admin, 'administrator', 'org-school-01', false],
      [ACCOUNTS.operator, 'administrator', 'org-district', true],
    ] as const) {
      const res = await postJson(campus.app, '/api/auth/login', {
        email: email.toUpperCase(),
        password: DEMO_PASSWORD,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as { principal: Record<string, unknown> }
      expect(body.principal).toMatchObject({ email, role, orgId, operator })
      const setCookie = res.headers.getSetCookie().join('\n')
      expect(setCookie).toMatch(/campus_session=[A-Za-z0-9_-]{43}/)
      expect(setCookie).toMatch(/HttpOnly/)
      expect(setCookie).toMatch(/SameSite=Lax/)
      // Plain HTTP: no Secure (the browser would drop it); behind TLS it is set (below).
      expect(setCookie).not.toMatch(/Secure/)
      const me = await send(campus.app, '/api/auth/session', {}, { cookie: sessionCookie(res) })
      expect(me.status).toBe(200)
      expect(((await me.json()) as { principal: unknown }).principal).toMatchObject({ role })
    }
  })

  it('marks the cookie Secure when the request came over TLS through the proxy', async () => {
    const res = await postJson(
      campus.app,
      '/api/auth/login',
      { email: ACCOUNTS.student, password: DEMO_PASSWORD },
      { headers: { 'x-forwarded-proto': 'https' } },
    )
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie().join('\n')).toMatch(/Secure/)
  })

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await postJson(campus.app, '/api/auth/login', {
      email: 'nobody@campus.example',
      password: DEMO_PASSWORD,
    })
    const wrong = await postJson(campus.app, '/api/auth/login', {
      email: ACCOUNTS.teacher,
      password: 'not-the-password',
    })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(unknown.headers.get('content-type')).toBe('application/problem+json')
    const [a, b] = [await unknown.json(), await wrong.json()]
    expect(a).toEqual(b)
    expect(a).toMatchObject({ code: 'E_INVALID_CREDENTIALS', status: 401 })
    expect(sessionCookie(unknown)).toBeUndefined()
    expect(sessionCookie(wrong)).toBeUndefined()
  })

  it('refuses a body-less cross-site POST without Origin (CSRF)', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.teacher)
    const res = await send(campus.app, '/api/auth/logout', { method: 'POST' }, { cookie })
    expect(res.status).toBe(403)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
  })

  it('answers 400 problem+json naming every bad field', async () => {
    const res = await postJson(campus.app, '/api/auth/login', { email: 'not-an-email' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as { code: string; errors: { field: string }[] }
    expect(body.code).toBe('E_VALIDATION')
    expect(body.errors.map((e) => e.field).sort()).toEqual(['email', 'password'])
    const notJson = await send(campus.app, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    const tooLong = await postJson(campus.app, '/api/auth/login', {
      email: ACCOUNTS.student,
      password: 'x'.repeat(201),
    })
    expect(((await tooLong.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'password',
    )
  })

  it('logout revokes the session; the cookie stops working', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.teacher)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    const out = await postEmpty(campus.app, '/api/auth/logout', { cookie })
    expect(out.status).toBe(204)
    expect(out.headers.getSetCookie().join('\n')).toMatch(/campus_session=;/)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(401)
  })

  it('logout everywhere revokes every session of the user, and only theirs', async () => {
    const first = await signIn(campus.app, ACCOUNTS.admin)
    const second = await signIn(campus.app, ACCOUNTS.admin)
    const other = await signIn(campus.app, ACCOUNTS.student)
    // Warm the index so the revocation has copies to invalidate.
    for (const cookie of [first, second, other]) {
      expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    }
    const res = await postEmpty(campus.app, '/api/auth/logout-everywhere', { cookie: first })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie: first })).status).toBe(401)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie: second })).status).toBe(401)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie: other })).status).toBe(200)
  })

  it('serves repeated lookups from the session index', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.student)
    const before = campus.deps.auth.sessions.index.stats()
    for (let i = 0; i < 3; i++) {
      expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    }
    const after = campus.deps.auth.sessions.index.stats()
    expect(after.misses - before.misses).toBe(1)
    expect(after.hits - before.hits).toBe(2)
  })

  it('a disabled account is signed out on its next request and cannot sign in', async () => {
    const cookie = await signIn(campus.app, ACCOUNTS.otherStudent)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    expect(await disableUser(campus.deps, 'usr-demo-school02-student')).toBe(true)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(401)
    const again = await postJson(campus.app, '/api/auth/login', {
      email: ACCOUNTS.otherStudent,
      password: DEMO_PASSWORD,
    })
    expect(again.status).toBe(401)
  })

  describe('pages', () => {
    it('the login form signs in and redirects to a local next only', async () => {
      const res = await postForm(campus.app, '/login', {
        email: ACCOUNTS.teacher,
        password: DEMO_PASSWORD,
        next: '//evil.example/x',
      })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/account')
      const cookie = sessionCookie(res)
      const account = await send(campus.app, '/account', {}, { cookie })
      expect(account.status).toBe(200)
      const html = await account.text()
      expect(html).toContain(ACCOUNTS.teacher)
      expect(html).not.toMatch(/<script|\son[a-z]+=/i)
    })

    it('re-renders the form with field errors (400) and a generic failure (401)', async () => {
      const bad = await postForm(campus.app, '/login', { email: 'x', password: '' })
      expect(bad.status).toBe(400)
      const html = await bad.text()
      expect(html).toContain('f-email-error')
      expect(html).toContain('f-password-error')
      const wrong = await postForm(campus.app, '/login', {
        email: ACCOUNTS.teacher,
        password: 'wrong-password',
      })
      expect(wrong.status).toBe(401)
      expect(await wrong.text()).toContain('The email or password is incorrect.')
    })

    it('refuses a cross-site form post (CSRF) with 403 problem+json', async () => {
      const res = await send(campus.app, '/login', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
        body: new URLSearchParams({ email: ACCOUNTS.teacher, password: DEMO_PASSWORD }).toString(),
      })
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(((await res.json()) as { code: string }).code).toBe('E_CSRF')
      expect(sessionCookie(res)).toBeUndefined()
    })

    it('/account redirects to /login when signed out, /api answers 401', async () => {
      const page = await send(campus.app, '/account')
      expect(page.status).toBe(303)
      expect(page.headers.get('location')).toBe('/login?next=%2Faccount')
      const api = await postEmpty(campus.app, '/api/auth/logout-everywhere')
      expect(api.status).toBe(401)
      expect(api.headers.get('content-type')).toBe('application/problem+json')
    })

    it('the sign-out form ends the session', async () => {
      const cookie = await signIn(campus.app, ACCOUNTS.teacher)
      const res = await postForm(campus.app, '/logout', {}, { cookie })
      expect(res.status).toBe(303)
      expect((await send(campus.app, '/account', {}, { cookie })).status).toBe(303)
    })
  })
})
