/**
 * Sign-in in a real browser (Debian's Chromium): password sign-in and sign-out, a magic link
 * received by a real SMTP server, and onboarding from an invitation mail. The server adds a
 * strict Content-Security-Policy (`script-src 'self'`), so the pages must work without inline
 * script or handlers.
 */
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { inviteUser } from '../../src/auth/invitations.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import {
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
} from '../support/browser.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { linkIn, startSmtp, type TestSmtp } from './smtp.js'
import { ACCOUNTS, DEMO_PASSWORD } from './support.js'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'; object-src 'none'"

describe.skipIf(!HAS_CHROMIUM)('sign-in in a browser', () => {
  let redis: RedisServer
  let smtp: TestSmtp
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let baseUrl = ''
  let browser: Browser
  const violations: string[] = []

  beforeAll(async () => {
    redis = await startRedis()
    smtp = await startSmtp()
    campus = await startTestCampus({ redisUrl: redis.url, smtpUrl: smtp.url })
    await seedDemoAccounts(campus.database.db)
    const outer = new Hono()
    outer.use('*', async (c, next) => {
      await next()
      c.header('content-security-policy', CSP)
    })
    outer.route('/', createApp(campus.deps))
    server = await serveOnLoopback(outer.fetch)
    baseUrl = server.url
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
    await smtp?.stop()
    await redis?.stop()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text())
    })
    return page
  }

  async function submit(page: Page, button: string): Promise<void> {
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: button, exact: true }).click(),
    ])
  }

  it('signs in with a password, shows the account, signs out', async () => {
    const page = await newPage()
    await page.goto(`${baseUrl}/account`)
    // Signed out: sent to the login form, which returns here afterwards.
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.getByLabel('Email').fill(ACCOUNTS.teacher)
    await page.getByLabel('Password').fill('wrong-password')
    await submit(page, 'Sign in')
    expect(await page.getByRole('alert').first().textContent()).toContain('incorrect')
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await submit(page, 'Sign in')
    expect(new URL(page.url()).pathname).toBe('/account')
    expect(await page.getByTestId('account-email').textContent()).toBe(ACCOUNTS.teacher)
    expect(await page.getByTestId('account-role').textContent()).toBe('teacher')
    const cookies = await page.context().cookies()
    const session = cookies.find((c) => c.name === 'campus_session')
    expect(session?.httpOnly).toBe(true)
    expect(session?.sameSite).toBe('Lax')
    await submit(page, 'Sign out')
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.goto(`${baseUrl}/account`)
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(violations).toEqual([])
  }, 120_000)

  it('signs in with a magic link read from the SMTP server, once', async () => {
    const page = await newPage()
    await page.goto(`${baseUrl}/login`)
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login/magic'),
      page.getByRole('link', { name: 'Email me a sign-in link instead' }).click(),
    ])
    const seen = smtp.messages.length
    await page.getByLabel('Email').fill(ACCOUNTS.student)
    await submit(page, 'Send link')
    expect(await page.getByRole('status').textContent()).toContain('on its way')
    const mail = await smtp.waitFor(ACCOUNTS.student, seen)
    const link = linkIn(mail)
    expect(link.startsWith(baseUrl)).toBe(true)
    await page.goto(link)
    await submit(page, 'Sign in')
    expect(new URL(page.url()).pathname).toBe('/account')
    expect(await page.getByTestId('account-email').textContent()).toBe(ACCOUNTS.student)
    // Single use: the same link in another browser is refused.
    const other = await newPage()
    await other.goto(link)
    await submit(other, 'Sign in')
    expect(await other.getByRole('alert').first().textContent()).toContain('already used')
    expect(violations).toEqual([])
  }, 120_000)

  it('onboards an invited user from the invitation mail, then signs in with the new password', async () => {
    const email = 'new.teacher@campus.example'
    const seen = smtp.messages.length
    await inviteUser(campus.database.db, campus.deps.mailer, {
      orgId: 'org-school-01',
      role: 'teacher',
      email,
      givenName: 'Nadia',
      familyName: 'Example',
      invitedBy: null,
      origin: baseUrl,
      ttlMs: 86_400_000,
    })
    const link = linkIn(await smtp.waitFor(email, seen))
    const page = await newPage()
    await page.goto(link)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up your account')
    expect(await page.getByLabel('First name', { exact: true }).inputValue()).toBe('Nadia')
    await page.getByLabel('Preferred first name (optional)').fill('Nad')
    await page.getByLabel('New password', { exact: true }).fill('short')
    await page.getByLabel('Repeat the password').fill('short')
    await submit(page, 'Save and continue')
    expect(await page.locator('#f-password-error').textContent()).toContain('at least 10')
    await page.getByLabel('New password', { exact: true }).fill('a-long-new-password')
    await page.getByLabel('Repeat the password').fill('a-long-new-password')
    await submit(page, 'Save and continue')
    expect(new URL(page.url()).pathname).toBe('/account')
    expect(await page.getByTestId('account-name').textContent()).toBe('Nad Example')
    expect(await page.getByTestId('account-role').textContent()).toBe('teacher')
    await submit(page, 'Sign out')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('a-long-new-password')
    await submit(page, 'Sign in')
    expect(await page.getByTestId('account-email').textContent()).toBe(email)
    // The invitation was used up.
    await page.goto(link)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Invitation not valid')
    expect(violations).toEqual([])
  }, 120_000)
})
