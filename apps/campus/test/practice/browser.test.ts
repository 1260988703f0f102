/**
 * Graded practice in a real browser (Debian's Chromium) under the strict Content-Security-Policy:
 * an anonymous visitor follows "Sign in to practise", signs in as the demo student, answers the
 * quiz, sees the score, and finds the attempt on My progress.
 */
import { Hono } from 'hono'
import type { Browser } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { ACCOUNTS, DEMO_PASSWORD } from '../auth/support.js'
import {
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
} from '../support/browser.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { answerKey } from './support.js'

describe.skipIf(!HAS_CHROMIUM)('graded practice in a browser', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let baseUrl = ''
  let browser: Browser

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await seedDemoAccounts(campus.database.db)
    const outer = new Hono()
    outer.route('/', createApp(campus.deps))
    server = await serveOnLoopback(outer.fetch)
    baseUrl = server.url
    browser = await launchChromium()
    // Seeding the demo set and hashing the demo passwords is slow on a loaded machine.
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
    await redis?.stop()
  })

  it('signs in from the quiz, answers it, sees the score and the attempt on My progress', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text())
    })
    try {
      await page.goto(`${baseUrl}${F.quiz.path}`)
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/login'),
        page.getByRole('link', { name: 'Sign in to practise' }).click(),
      ])
      await page.getByLabel('Email').fill(ACCOUNTS.student)
      await page.getByLabel('Password').fill(DEMO_PASSWORD)
      await Promise.all([
        page.waitForURL((u) => u.pathname === F.quiz.path),
        page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ])

      // The questions this form asks, in order; all answered right but the first.
      const names = await page
        .locator('form[action="/practice/attempts"] input[type="radio"]')
        .evaluateAll((inputs) => inputs.map((i) => i.getAttribute('name') ?? ''))
      const itemIds = [...new Set(names)].map((n) => n.slice('answers.'.length))
      expect(itemIds.length).toBeGreaterThan(1)
      const key = await answerKey(campus, itemIds)
      for (const [n, id] of itemIds.entries()) {
        const k = key[id]
        if (!k) throw new Error(`no key for ${id}`)
        const choice = n === 0 ? (k.correct + 1) % k.choices : k.correct
        await page.locator(`input[name="answers.${id}"][value="${choice}"]`).check()
      }
      await Promise.all([
        page.waitForURL((u) => u.pathname.startsWith('/me/attempts/')),
        page.getByRole('button', { name: 'Submit answers' }).click(),
      ])
      const total = itemIds.length
      const percent = `${Number((((total - 1) / total) * 100).toFixed(2))}%`
      const score = await page.getByTestId('score').textContent()
      expect(score).toBe(`${total - 1} / ${total} · ${percent}`)
      await expect.poll(() => page.locator('.wrong').count()).toBe(1)

      await Promise.all([
        page.waitForURL((u) => u.pathname === '/me/progress'),
        page.getByRole('banner').getByRole('link', { name: 'My progress' }).click(),
      ])
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My progress')
      const row = page.getByRole('row').filter({ hasText: 'Quiz' })
      expect(await row.count()).toBe(1)
      expect(await row.textContent()).toContain(`${total - 1} / ${total} (${percent})`)
      expect(violations).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)
})
