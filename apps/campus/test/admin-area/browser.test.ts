/**
 * The admin panel in a real browser (Debian's Chromium): two tabs on two campus instances
 * sharing one database and one Redis. A login-link request approved in the first tab makes the
 * second tab's pending count drop, with no reload, through the counter in Redis and the
 * instance's Server-Sent Events. Also: the dashboard, flags and clear pages render for an
 * operator, and no page needs an inline script (no CSP violation is reported).
 * Screenshots go to test/web/artifacts/ (not committed).
 */
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { type Browser, type BrowserContext, chromium } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { DISTRICT, fileRequest, members, pendingInDatabase, SCHOOL_A, signIn } from './support.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const ARTIFACTS = fileURLToPath(new URL('../web/artifacts/', import.meta.url))

function listen(app: Hono): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ server, url: `http://127.0.0.1:${(info as AddressInfo).port}` })
    })
  })
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    // Event streams stay open; close them with the server.
    ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
    server.close(() => resolve())
  })
}

const name = (title: string) => (hasChromium ? title : `${title} (skipped: ${CHROMIUM} is missing)`)

describe('admin panel in a browser', () => {
  let redis: RedisServer
  let first: TestCampus
  let second: TestCampus
  const servers: ServerType[] = []
  let urlOne = ''
  let urlTwo = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!hasChromium) return
    redis = await startRedis()
    first = await startTestCampus({ redisUrl: redis.url })
    // A second instance: its own process-level state (satchel, pollers), the same database.
    second = await startTestCampus({ redisUrl: redis.url, database: first.database })
    const one = await listen(first.app)
    const two = await listen(second.app)
    servers.push(one.server, two.server)
    urlOne = one.url
    urlTwo = two.url
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    mkdirSync(ARTIFACTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    for (const server of servers) await close(server)
    await second?.close()
    await first?.close()
    await redis?.stop()
  })

  /** A browser context signed in with `cookie` (`campus_session=…`) on 127.0.0.1 (any port). */
  async function signedIn(cookie: string): Promise<BrowserContext> {
    const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } })
    const [cookieName, value] = cookie.split('=')
    await context.addCookies([
      {
        name: cookieName ?? '',
        value: value ?? '',
        domain: '127.0.0.1',
        path: '/',
        httpOnly: true,
      },
    ])
    return context
  }

  it.skipIf(!hasChromium)(
    name('a request approved in one tab drops the pending count in another without reload'),
    async () => {
      const [admin] = await members(first, SCHOOL_A, 'teacher')
      const { cookie } = await signIn(first, admin?.id ?? '', SCHOOL_A, 'administrator')
      const students = await members(first, SCHOOL_A, 'student')
      const id = await fileRequest(first, SCHOOL_A, students[0]?.email ?? '')
      await fileRequest(first, SCHOOL_A, students[1]?.email ?? '')
      const pending = await pendingInDatabase(first, SCHOOL_A)
      expect(pending).toBeGreaterThanOrEqual(2)

      const context = await signedIn(cookie)
      const violations: string[] = []
      try {
        const approver = await context.newPage()
        const watcher = await context.newPage()
        for (const page of [approver, watcher]) {
          page.setDefaultTimeout(15_000)
          page.on('console', (m) => {
            if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
          })
        }
        // The watcher is on the second instance; the approval happens on the first.
        await watcher.goto(`${urlTwo}/admin/login-link-requests`)
        const badge = watcher.locator('[data-pending-count]')
        expect(await badge.textContent()).toBe(String(pending))
        await watcher.waitForSelector('[data-pending-count][data-live="connected"]')
        // Marks this document: a reload would lose it.
        // (Strings, not functions: the test compiles without the DOM library.)
        await watcher.evaluate("document.body.dataset.marker = 'not-reloaded'")

        await approver.goto(`${urlOne}/admin/login-link-requests`)
        await Promise.all([
          approver.waitForURL(/notice=approved/),
          approver.locator(`tr[data-request-id="${id}"] button`, { hasText: 'Approve' }).click(),
        ])
        expect(await approver.getByRole('status').textContent()).toContain('Approved')
        expect(await approver.locator(`tr[data-request-id="${id}"]`).count()).toBe(0)

        // A locator wait (Playwright's own world): a string predicate for waitForFunction is
        // compiled in the page, which the page's CSP (no 'unsafe-eval') rightly refuses.
        await watcher
          .locator('[data-pending-count]', { hasText: new RegExp(`^${pending - 1}$`) })
          .waitFor()
        expect(await watcher.evaluate('document.body.dataset.marker')).toBe('not-reloaded')
        await watcher.screenshot({ path: `${ARTIFACTS}admin-requests.png`, fullPage: true })
        expect(pending - 1).toBe(await pendingInDatabase(first, SCHOOL_A))
        expect(violations).toEqual([])
      } finally {
        await context.close()
      }
    },
    90_000,
  )

  it.skipIf(!hasChromium)(
    name('an operator sees the cache dashboard, the flags and the clear confirmation'),
    async () => {
      const [districtAdmin] = await members(first, DISTRICT, 'administrator')
      const { cookie } = await signIn(first, districtAdmin?.id ?? '', DISTRICT, 'administrator')
      // Something in the cache to count.
      await first.app.request('/math')
      const context = await signedIn(cookie)
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(15_000)
        const violations: string[] = []
        page.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
        })
        await page.goto(`${urlOne}/admin/cache`)
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Cache')
        expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(4)
        expect(await page.locator('[data-stat="breaker"]').textContent()).toBe('closed')
        await page.screenshot({ path: `${ARTIFACTS}admin-cache.png`, fullPage: true })

        await page.goto(`${urlOne}/admin/flags`)
        expect(await page.locator('tr[data-flag] td[data-state="on"]').count()).toBe(6)

        await page.goto(`${urlOne}/admin/cache/clear`)
        await page.getByLabel('Key, pattern or tag').fill('oneroster-course-bundle:*')
        await page.getByRole('button', { name: 'Continue' }).click()
        expect(await page.locator('[data-clear-description]').textContent()).toContain(
          'oneroster-course-bundle:*',
        )
        await page.getByRole('button', { name: 'Yes, clear' }).click()
        expect(await page.getByRole('status').textContent()).toMatch(/Done: \d+ removed/)
        expect(violations).toEqual([])
      } finally {
        await context.close()
      }
    },
    90_000,
  )
})
