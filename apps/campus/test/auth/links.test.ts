import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inviteUser } from '../../src/auth/invitations.js'
import { magicLinkTokens } from '../../src/db/schema.js'
import { listOutbox } from '../../src/mail/index.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { ACCOUNTS, postJson, send, sessionCookie, signIn } from './support.js'

/** The token of the newest link in an org's outbox for `to`. */
async function tokenFromOutbox(campus: TestCampus, orgId: string, to: string): Promise<string> {
  await campus.deps.auth.background.settled()
  const [mail] = await listOutbox(campus.database.db, orgId, { recipient: to, limit: 1 })
  const match = /token=([A-Za-z0-9_-]{43})/.exec(mail?.textBody ?? '')
  if (!match?.[1]) throw new Error(`no link in the outbox for ${to}`)
  return match[1]
}

describe('magic links and onboarding through the outbox (no SMTP_URL)', () => {
  let campus: TestCampus
  beforeAll(async () => {
    campus = await startTestCampus()
    await seedDemoAccounts(campus.database.db)
  })
  afterAll(async () => {
    await campus?.close()
  })

  it('a magic link lands in the org outbox, signs in once, and only its hash is stored', async () => {
    const res = await postJson(campus.app, '/api/auth/magic/request', { email: ACCOUNTS.teacher })
    expect(res.status).toBe(202)
    const token = await tokenFromOutbox(campus, 'org-school-01', ACCOUNTS.teacher)
    const stored = await campus.database.db.select().from(magicLinkTokens)
    expect(stored.some((row) => row.tokenHash === token)).toBe(false)
    const first = await postJson(campus.app, '/api/auth/magic/redeem', { token })
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({
      principal: { email: ACCOUNTS.teacher, role: 'teacher' },
      needsOnboarding: false,
    })
    const cookie = sessionCookie(first)
    expect((await send(campus.app, '/api/auth/session', {}, { cookie })).status).toBe(200)
    const second = await postJson(campus.app, '/api/auth/magic/redeem', { token })
    expect(second.status).toBe(400)
    expect(await second.json()).toMatchObject({
      code: 'E_LINK_INVALID',
      errors: [{ field: 'token' }],
    })
  })

  it('the Outbox page shows an administrator their own org’s mail only', async () => {
    await postJson(campus.app, '/api/auth/magic/request', { email: ACCOUNTS.teacher })
    await campus.deps.auth.background.settled()
    const own = await send(
      campus.app,
      '/outbox',
      {},
      { cookie: await signIn(campus.app, ACCOUNTS.admin) },
    )
    expect(own.status).toBe(200)
    expect(await own.text()).toContain(`To ${ACCOUNTS.teacher}`)
    const other = await send(
      campus.app,
      '/outbox',
      {},
      { cookie: await signIn(campus.app, 'admin.school02@campus.example') },
    )
    expect(other.status).toBe(200)
    expect(await other.text()).not.toContain(ACCOUNTS.teacher)
    const student = await send(
      campus.app,
      '/outbox',
      {},
      { cookie: await signIn(campus.app, ACCOUNTS.otherStudent) },
    )
    expect(student.status).toBe(403)
  }, 120_000)

  it('an unknown address gets the same 202 and no mail', async () => {
    const before = await listOutbox(campus.database.db, 'org-school-01', { limit: 500 })
    const res = await postJson(campus.app, '/api/auth/magic/request', {
      email: 'nobody@campus.example',
    })
    expect(res.status).toBe(202)
    await campus.deps.auth.background.settled()
    const after = await listOutbox(campus.database.db, 'org-school-01', { limit: 500 })
    expect(after.length).toBe(before.length)
  })

  it('an expired link is refused', async () => {
    await postJson(campus.app, '/api/auth/magic/request', { email: ACCOUNTS.student })
    const token = await tokenFromOutbox(campus, 'org-school-01', ACCOUNTS.student)
    await campus.database.db
      .update(magicLinkTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(magicLinkTokens.userSourcedId, 'usr-demo-school01-student'))
    const res = await postJson(campus.app, '/api/auth/magic/redeem', { token })
    expect(res.status).toBe(400)
  })

  it('onboarding from an invitation sets the password and profile, once', async () => {
    const email = 'invited.api@campus.example'
    const invitation = await inviteUser(campus.database.db, campus.deps.mailer, {
      orgId: 'org-school-02',
      role: 'student',
      email,
      givenName: 'Ivy',
      familyName: 'Api',
      invitedBy: 'usr-demo-school02-administrator',
      origin: 'http://localhost',
      ttlMs: 86_400_000,
    })
    const token = await tokenFromOutbox(campus, 'org-school-02', email)
    expect(invitation.url).toContain(token)
    // Before onboarding the account has no password: sign-in fails like any other.
    const early = await postJson(campus.app, '/api/auth/login', {
      email,
      password: 'chosen-password-1',
    })
    expect(early.status).toBe(401)
    const bad = await postJson(campus.app, '/api/auth/onboarding', {
      token,
      password: 'short',
      givenName: '',
      familyName: 'Api',
    })
    expect(bad.status).toBe(400)
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    )
    expect(fields.sort()).toEqual(['givenName', 'password'])
    const ok = await postJson(campus.app, '/api/auth/onboarding', {
      token,
      password: 'chosen-password-1',
      givenName: 'Ivy',
      familyName: 'Api',
      preferredFirstName: 'Iv',
    })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({
      principal: { email, role: 'student', orgId: 'org-school-02', name: 'Iv Api' },
    })
    const again = await postJson(campus.app, '/api/auth/onboarding', {
      token,
      password: 'another-password-2',
      givenName: 'Ivy',
      familyName: 'Api',
    })
    expect(again.status).toBe(400)
    expect(((await again.json()) as { code: string }).code).toBe('E_INVITATION_INVALID')
    const login = await postJson(campus.app, '/api/auth/login', {
      email,
      password: 'chosen-password-1',
    })
    expect(login.status).toBe(200)
  }, 120_000)
})
