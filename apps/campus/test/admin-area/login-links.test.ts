/**
 * Login-link requests end to end on a real Redis and database: filing (validation, rate limit,
 * no account enumeration), the org-scoped list and count, approval under the lock and the
 * status guard (two at once → one 200, one 409), the mailed single-use link, rejection,
 * Idempotency-Key replay and mismatch, tenant isolation, and decisions while Redis is down.
 */
import { eq } from 'drizzle-orm'
import { tokenHash } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LINK_PATH } from '../../src/auth/links.js'
import { loginLinkRequests, magicLinkTokens, mailOutbox } from '../../src/db/schema.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import {
  DISTRICT,
  fileRequest,
  members,
  pendingInDatabase,
  resetRequestQuota,
  SCHOOL_A,
  SCHOOL_B,
  signIn,
} from './support.js'

const TOKEN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }

describe('login-link requests', () => {
  let redis: RedisServer
  let campus: TestCampus
  let adminA: string
  let adminB: string
  let teacherA: string
  let operator: string
  let emailsA: string[]

  const get = (path: string, cookie: string | Record<string, string>) =>
    campus.app.request(path, { headers: typeof cookie === 'string' ? { cookie } : cookie })
  const post = (
    path: string,
    cookie: string | Record<string, string>,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) =>
    campus.app.request(path, {
      method: 'POST',
      headers: {
        ...(typeof cookie === 'string' ? { cookie } : cookie),
        'content-type': 'application/json',
        ...init.headers,
      },
      body: init.body ?? '{}',
    })
  const count = async (cookie: string | Record<string, string>, orgId?: string) => {
    const res = await get(
      `/api/admin/login-link-requests/count${orgId ? `?orgId=${orgId}` : ''}`,
      cookie,
    )
    return { status: res.status, body: (await res.json()) as { pending: number; orgId: string } }
  }

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const teachersA = await members(campus, SCHOOL_A, 'teacher')
    const teachersB = await members(campus, SCHOOL_B, 'teacher')
    const studentsA = await members(campus, SCHOOL_A, 'student')
    emailsA = studentsA.map((s) => s.email)
    // The seed's first teacher administers the district: a campus-wide operator.
    const [districtAdmin] = await members(campus, DISTRICT, 'administrator')
    adminA = (await signIn(campus, teachersA[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
    adminB = (await signIn(campus, teachersB[0]?.id ?? '', SCHOOL_B, 'administrator')).cookie
    teacherA = (await signIn(campus, teachersA[2]?.id ?? '', SCHOOL_A, 'teacher')).cookie
    operator = (await signIn(campus, districtAdmin?.id ?? '', DISTRICT, 'administrator')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('validates a request field by field (400 problem+json naming each field)', async () => {
    await resetRequestQuota(campus)
    const res = await post(
      '/api/login-link-requests',
      {},
      {
        body: JSON.stringify({ orgId: '', email: 'not-an-email', extra: 1 }),
      },
    )
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = (await res.json()) as { errors: { field: string }[]; code: string }
    expect(body.code).toBe('E_VALIDATION')
    expect(body.errors.map((e) => e.field).sort()).toEqual(['(body)', 'email', 'orgId'])
    const unknownOrg = await post(
      '/api/login-link-requests',
      {},
      {
        body: JSON.stringify({ orgId: 'org-nowhere', email: 'a@b.example' }),
      },
    )
    expect(unknownOrg.status).toBe(400)
    expect(((await unknownOrg.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'orgId',
    )
    const notJson = await post('/api/login-link-requests', {}, { body: '{oops' })
    expect(notJson.status).toBe(400)
  })

  it('answers the same 202 for an account and a stranger, and counts both as pending', async () => {
    const before = (await count(adminA)).body.pending
    await fileRequest(campus, SCHOOL_A, emailsA[0] ?? '')
    await resetRequestQuota(campus)
    const stranger = await post(
      '/api/login-link-requests',
      {},
      {
        body: JSON.stringify({ orgId: SCHOOL_A, email: 'Nobody@Elsewhere.example' }),
      },
    )
    expect(stranger.status).toBe(202)
    const known = await post(
      '/api/login-link-requests',
      {},
      {
        body: JSON.stringify({ orgId: SCHOOL_A, email: emailsA[0] }),
      },
    )
    // A second request while one is pending is accepted the same way and adds nothing.
    expect(known.status).toBe(202)
    expect(await known.json()).toEqual(await stranger.clone().json())
    expect(known.headers.get('ratelimit-policy')).toContain('"login-link-ip"')
    const after = await count(adminA)
    expect(after.status).toBe(200)
    expect(after.body).toEqual({ orgId: SCHOOL_A, pending: before + 2 })
    expect(after.body.pending).toBe(await pendingInDatabase(campus, SCHOOL_A))
  })

  it('keeps organisations apart: other org → 404, non-admin → 403, signed out → 401', async () => {
    const id = await fileRequest(campus, SCHOOL_A, emailsA[1] ?? '')
    expect((await count(adminB, SCHOOL_A)).status).toBe(404)
    const listB = (await (await get('/api/admin/login-link-requests', adminB)).json()) as {
      requests: { id: string }[]
    }
    expect(listB.requests.some((r) => r.id === id)).toBe(false)
    const listA = (await (await get('/api/admin/login-link-requests', adminA)).json()) as {
      requests: { id: string; orgId: string }[]
    }
    expect(listA.requests.some((r) => r.id === id)).toBe(true)
    expect(listA.requests.every((r) => r.orgId === SCHOOL_A)).toBe(true)
    for (const action of ['approve', 'reject']) {
      const res = await post(`/api/admin/login-link-requests/${id}/${action}`, adminB)
      expect(res.status).toBe(404)
      expect(((await res.json()) as { code: string }).code).toBe('E_NOT_FOUND')
    }
    expect((await get(`/api/admin/login-link-requests?orgId=${SCHOOL_A}`, adminB)).status).toBe(404)
    expect((await post(`/api/admin/login-link-requests/${id}/approve`, teacherA)).status).toBe(403)
    expect((await post(`/api/admin/login-link-requests/${id}/approve`, {})).status).toBe(401)
    expect((await post(`/api/admin/login-link-requests/not-a-uuid/approve`, adminA)).status).toBe(
      404,
    )
    // Still pending: nothing of it changed.
    const [row] = await campus.database.db
      .select({ status: loginLinkRequests.status })
      .from(loginLinkRequests)
      .where(eq(loginLinkRequests.id, id))
    expect(row?.status).toBe('pending')
    // Operators see every organisation's.
    expect((await count(operator, SCHOOL_A)).body.pending).toBe(
      await pendingInDatabase(campus, SCHOOL_A),
    )
    expect((await count(TOKEN, SCHOOL_A)).status).toBe(200)
  })

  it('two approvals at once: one 200, one 409; one link mailed, single use', async () => {
    const email = emailsA[2] ?? ''
    const id = await fileRequest(campus, SCHOOL_A, email)
    const pendingBefore = (await count(adminA)).body.pending
    const [first, second] = await Promise.all([
      post(`/api/admin/login-link-requests/${id}/approve`, adminA),
      post(`/api/admin/login-link-requests/${id}/approve`, operator),
    ])
    const statuses = [first.status, second.status].sort()
    expect(statuses).toEqual([200, 409])
    const loser = first.status === 409 ? first : second
    const problem = (await loser.json()) as { code: string; status: number }
    expect(['E_DECISION_IN_PROGRESS', 'E_ALREADY_DECIDED']).toContain(problem.code)
    const winner = first.status === 200 ? first : second
    expect(await winner.json()).toMatchObject({ id, status: 'approved', mailed: true })
    // A later attempt is the deterministic "decided already".
    const late = await post(`/api/admin/login-link-requests/${id}/reject`, adminA)
    expect(late.status).toBe(409)
    expect(await late.json()).toMatchObject({
      code: 'E_ALREADY_DECIDED',
      requestStatus: 'approved',
    })

    const mail = await campus.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.recipient, email))
    expect(mail).toHaveLength(1)
    const link = /(https?:\/\/\S+)/.exec(mail[0]?.textBody ?? '')?.[1] ?? ''
    const url = new URL(link)
    expect(url.pathname).toBe(LINK_PATH)
    const token = url.searchParams.get('token') ?? ''
    const tokens = await campus.database.db
      .select()
      .from(magicLinkTokens)
      .where(eq(magicLinkTokens.tokenHash, tokenHash(token)))
    expect(tokens).toHaveLength(1)
    expect(tokens[0]).toMatchObject({ purpose: 'login-link', usedAt: null, orgSourcedId: SCHOOL_A })
    // The raw token is stored nowhere.
    expect(JSON.stringify(tokens)).not.toContain(token)

    expect((await count(adminA)).body.pending).toBe(pendingBefore - 1)
    expect(pendingBefore - 1).toBe(await pendingInDatabase(campus, SCHOOL_A))
  })

  it('rejects; an approval without an account is 422 and leaves the request pending', async () => {
    await resetRequestQuota(campus)
    await post(
      '/api/login-link-requests',
      {},
      {
        body: JSON.stringify({ orgId: SCHOOL_A, email: 'ghost@nowhere.example' }),
      },
    )
    const [ghost] = await campus.database.db
      .select({ id: loginLinkRequests.id })
      .from(loginLinkRequests)
      .where(eq(loginLinkRequests.email, 'ghost@nowhere.example'))
    const id = ghost?.id ?? ''
    const approve = await post(`/api/admin/login-link-requests/${id}/approve`, adminA)
    expect(approve.status).toBe(422)
    expect(((await approve.json()) as { code: string }).code).toBe('E_NO_ACCOUNT')
    const [still] = await campus.database.db
      .select({ status: loginLinkRequests.status })
      .from(loginLinkRequests)
      .where(eq(loginLinkRequests.id, id))
    expect(still?.status).toBe('pending')
    const reject = await post(`/api/admin/login-link-requests/${id}/reject`, adminA)
    expect(reject.status).toBe(200)
    expect(await reject.json()).toMatchObject({ status: 'rejected', mailed: false })
  })

  it('Idempotency-Key: a retry replays the answer, another payload is 422', async () => {
    const id = await fileRequest(campus, SCHOOL_A, emailsA[3] ?? '')
    const key = { 'idempotency-key': `approve-${id}` }
    const first = await post(`/api/admin/login-link-requests/${id}/approve`, adminA, {
      headers: key,
    })
    expect(first.status).toBe(200)
    const firstBody = await first.text()
    const replay = await post(`/api/admin/login-link-requests/${id}/approve`, adminA, {
      headers: key,
    })
    expect(replay.status).toBe(200)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await replay.text()).toBe(firstBody)
    const other = await post(`/api/admin/login-link-requests/${id}/approve`, adminA, {
      headers: key,
      body: JSON.stringify({ note: 'different' }),
    })
    expect(other.status).toBe(422)
    // Without the key, the retry meets the status guard instead.
    expect((await post(`/api/admin/login-link-requests/${id}/approve`, adminA)).status).toBe(409)
    // Still exactly one mail for the one approval.
    const mail = await campus.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.recipient, emailsA[3] ?? ''))
    expect(mail).toHaveLength(1)
  })

  it('decides while Redis is down: no lock, the status guard alone; idempotency proceeds', async () => {
    const id = await fileRequest(campus, SCHOOL_A, emailsA[4] ?? '')
    await redis.pause()
    try {
      const res = await post(`/api/admin/login-link-requests/${id}/reject`, adminA, {
        headers: { 'idempotency-key': `reject-${id}` },
      })
      expect(res.status).toBe(200)
      const again = await post(`/api/admin/login-link-requests/${id}/reject`, adminA)
      expect(again.status).toBe(409)
      // The count comes from the database while Redis is down.
      expect((await count(adminA)).body.pending).toBe(await pendingInDatabase(campus, SCHOOL_A))
    } finally {
      await redis.resume()
    }
  })

  it('rate-limits requests per email: 429 problem+json with Retry-After', async () => {
    // The pause above opened the breaker (limits fail open meanwhile); wait for it to close.
    for (let i = 0; ; i++) {
      try {
        await campus.satchel.redis.exec('test.ping', (r) => r.ping())
        break
      } catch (error) {
        if (i > 200) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    await resetRequestQuota(campus)
    const email = 'limited@nowhere.example'
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 3; i++) {
      last = await post(
        '/api/login-link-requests',
        {},
        {
          body: JSON.stringify({ orgId: SCHOOL_B, email }),
        },
      )
      statuses.push(last.status)
    }
    expect(statuses).toEqual([202, 202, 429])
    expect(last?.headers.get('content-type')).toContain('application/problem+json')
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(last?.headers.get('ratelimit-policy')).toContain('"login-link-email"')
  })
})
