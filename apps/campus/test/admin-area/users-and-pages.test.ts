/**
 * The admin area's other edges: users (disable signs the user out on their next request,
 * revoke sessions), tenant isolation of users and pages (another org → 404, a member with roles
 * elsewhere → 403, operator-only pages → 403 for an org administrator), the form posts' CSRF
 * guard, and the asset allow-list.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCampus, type TestCampus } from '../support/campus.js'
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

const ORIGIN = 'http://localhost'

describe('admin users and pages', () => {
  let redis: RedisServer
  let campus: TestCampus
  let adminA = ''
  let adminB = ''
  let teacherA = ''
  let studentA = { id: '', email: '' }
  let districtAdminId = ''

  const get = (path: string, cookie: string) => campus.app.request(path, { headers: { cookie } })
  const postJson = (path: string, cookie: string) =>
    campus.app.request(path, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    })
  const postForm = (path: string, cookie: string, body = '', origin: string | null = ORIGIN) =>
    campus.app.request(path, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin === null ? {} : { origin }),
      },
      body,
    })

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const teachersA = await members(campus, SCHOOL_A, 'teacher')
    const teachersB = await members(campus, SCHOOL_B, 'teacher')
    studentA = (await members(campus, SCHOOL_A, 'student'))[0] ?? studentA
    districtAdminId = (await members(campus, DISTRICT, 'administrator'))[0]?.id ?? ''
    adminA = (await signIn(campus, teachersA[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
    adminB = (await signIn(campus, teachersB[0]?.id ?? '', SCHOOL_B, 'administrator')).cookie
    teacherA = (await signIn(campus, teachersA[2]?.id ?? '', SCHOOL_A, 'teacher')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('lists only the own organisation; another → 404', async () => {
    const res = await get('/api/admin/users', adminA)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { orgId: string; users: { id: string }[] }
    expect(body.orgId).toBe(SCHOOL_A)
    expect(body.users.some((u) => u.id === studentA.id)).toBe(true)
    expect((await get(`/api/admin/users?orgId=${SCHOOL_A}`, adminB)).status).toBe(404)
    expect((await get(`/admin/users?orgId=${SCHOOL_A}`, adminB)).status).toBe(404)
    expect((await get(`/admin/login-link-requests?orgId=${SCHOOL_A}`, adminB)).status).toBe(404)
    expect((await get('/api/admin/users', teacherA)).status).toBe(403)
  })

  it('disabling signs the user out on their next request; another org cannot', async () => {
    const student = await signIn(campus, studentA.id, SCHOOL_A, 'student')
    const whoami = () => get('/api/auth/session', student.cookie)
    const before = await whoami()
    expect(before.status).toBe(200)
    expect(JSON.stringify(await before.json())).toContain(studentA.id)

    const refused = await postJson(`/api/admin/users/${studentA.id}/disable`, adminB)
    expect(refused.status).toBe(404)
    expect(JSON.stringify(await (await whoami()).json())).toContain(studentA.id)

    const disabled = await postJson(`/api/admin/users/${studentA.id}/disable`, adminA)
    expect(disabled.status).toBe(200)
    expect(await disabled.json()).toMatchObject({ id: studentA.id, disabled: true })
    expect((await whoami()).status).toBe(401)

    const enabled = await postJson(`/api/admin/users/${studentA.id}/enable`, adminA)
    expect(await enabled.json()).toMatchObject({ disabled: false, sessionsRevoked: 0 })
  })

  it('revokes sessions; a member with roles elsewhere is an operator matter (403)', async () => {
    const student = await signIn(campus, studentA.id, SCHOOL_A, 'student')
    const res = await postJson(`/api/admin/users/${studentA.id}/revoke-sessions`, adminA)
    expect(res.status).toBe(200)
    expect(
      ((await res.json()) as { sessionsRevoked: number }).sessionsRevoked,
    ).toBeGreaterThanOrEqual(1)
    expect((await get('/api/auth/session', student.cookie)).status).toBe(401)
    // The district administrator also teaches at school A.
    const multi = await postJson(`/api/admin/users/${districtAdminId}/disable`, adminA)
    expect(multi.status).toBe(403)
    expect(((await multi.json()) as { code: string }).code).toBe('E_FORBIDDEN')
    expect((await postJson('/api/admin/users/usr-nope/disable', adminA)).status).toBe(404)
  })

  it('page forms: cross-org decisions come back as a notice; cross-site posts are refused', async () => {
    const students = await members(campus, SCHOOL_A, 'student')
    const id = await fileRequest(campus, SCHOOL_A, students[5]?.email ?? '')
    const crossOrg = await postForm(`/admin/login-link-requests/${id}/approve`, adminB)
    expect(crossOrg.status).toBe(303)
    expect(crossOrg.headers.get('location')).toContain('error=E_NOT_FOUND')
    const crossSite = await postForm(
      `/admin/login-link-requests/${id}/approve`,
      adminA,
      '',
      'https://evil.example',
    )
    expect(crossSite.status).toBe(403)
    const own = await postForm(`/admin/login-link-requests/${id}/reject`, adminA)
    expect(own.status).toBe(303)
    expect(own.headers.get('location')).toContain('notice=rejected')
    const page = await (await get(`${own.headers.get('location')}`, adminA)).text()
    expect(page).toContain('Rejected.')
  })

  it('operator-only pages refuse an organisation administrator; signed out → sign-in', async () => {
    for (const path of ['/admin/cache', '/admin/flags', '/admin/cache/clear']) {
      expect((await get(path, adminA)).status, path).toBe(403)
    }
    expect((await postForm('/admin/cache/clear/confirm', adminA, 'by=all')).status).toBe(403)
    const signedOut = await campus.app.request('/admin/login-link-requests')
    expect(signedOut.status).toBe(303)
    expect(signedOut.headers.get('location')).toMatch(/^\/login\?next=/)
  })

  it('serves allow-listed assets only', async () => {
    const js = await campus.app.request('/assets/admin-live.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toContain('text/javascript')
    expect(await js.text()).toContain('EventSource')
    for (const path of ['/assets/nope.js', '/assets/..%2Fpackage.json', '/assets/index.ts']) {
      expect((await campus.app.request(path)).status, path).toBe(404)
    }
  })

  it('the request page: a form, the same "sent" page for anyone, field errors beside the form', async () => {
    await resetRequestQuota(campus)
    const form = await campus.app.request('/login-link-request')
    expect(form.status).toBe(200)
    const page = await form.text()
    expect(page).toContain(`<option value="${SCHOOL_A}">`)
    expect(page).not.toContain('<script>')
    const before = await pendingInDatabase(campus, SCHOOL_B)
    const sent = await postForm(
      '/login-link-request',
      '',
      new URLSearchParams({
        orgId: SCHOOL_B,
        email: 'someone@nowhere.example',
        message: 'hi',
      }).toString(),
    )
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain('Request sent')
    expect(await pendingInDatabase(campus, SCHOOL_B)).toBe(before + 1)
    const bad = await postForm(
      '/login-link-request',
      '',
      new URLSearchParams({ orgId: SCHOOL_B, email: 'nope' }).toString(),
    )
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/role="alert"> must be an email address/)
    const crossSite = await postForm(
      '/login-link-request',
      '',
      'orgId=x&email=a%40b.example',
      'https://evil.example',
    )
    expect(crossSite.status).toBe(403)
  })
})
