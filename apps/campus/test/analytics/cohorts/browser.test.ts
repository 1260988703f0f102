/**
 * A grade cohort in a real browser (Debian's Chromium): an administrator sees the SVG charts
 * (drawn, non-zero size, accessible names), the validity statement and the data-table fallback,
 * and the page triggers no Content-Security-Policy violation. The screenshot goes to
 * test/web/artifacts/ (not committed).
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  browserTestName,
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
} from '../../support/browser.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { cookieFor, SCHOOL, writeCohortFixture } from './fixture.js'

const ARTIFACTS = fileURLToPath(new URL('../../web/artifacts/', import.meta.url))

describe('cohort page in a browser', () => {
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let url = ''
  let cookie = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return
    campus = await startTestCampus()
    const fx = await writeCohortFixture(campus)
    cookie = await cookieFor(campus, fx.schoolAdmin, SCHOOL, 'administrator')
    server = await serveOnLoopback(campus.app.fetch)
    url = server.url
    browser = await launchChromium()
    mkdirSync(ARTIFACTS, { recursive: true })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
  })

  it.skipIf(!HAS_CHROMIUM)(
    browserTestName('an administrator sees the charts and the validity statement of a grade'),
    async () => {
      const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } })
      const [cookieName, value] = cookie.split('=')
      await context.addCookies([
        { name: cookieName ?? '', value: value ?? '', domain: '127.0.0.1', path: '/' },
      ])
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(15_000)
        const violations: string[] = []
        page.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
        })
        const response = await page.goto(`${url}/cohorts?scope=grade&id=08&score=quiz`)
        expect(response?.status()).toBe(200)
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Grade 08')

        const validity = page.locator('section.validity')
        expect(await validity.isVisible()).toBe(true)
        expect(await validity.textContent()).toContain(
          'Read the median and the interquartile range first',
        )
        expect(await page.locator('[data-note="normality-rejected"]').count()).toBe(1)

        const charts = page.locator('figure svg[role="img"]')
        expect(await charts.count()).toBeGreaterThanOrEqual(2)
        for (const svg of await charts.all()) {
          const box = await svg.boundingBox()
          expect(box?.width ?? 0).toBeGreaterThan(0)
          expect(box?.height ?? 0).toBeGreaterThan(0)
          expect(await svg.locator('title').count()).toBe(1)
          expect(await svg.locator('desc').count()).toBe(1)
          // Drawn, not an empty frame.
          expect(await svg.locator('path, rect, circle').count()).toBeGreaterThan(3)
        }
        expect(await page.locator('figure details table').count()).toBeGreaterThanOrEqual(2)
        await page.screenshot({ path: `${ARTIFACTS}cohort-grade.png`, fullPage: true })

        // The comparison form on the page leads to both cohorts' charts and the test.
        await page.getByLabel(/Compare with/).fill('grade:07')
        await Promise.all([
          page.waitForURL(/\/cohorts\/compare\?/),
          page.getByRole('button', { name: 'Compare' }).click(),
        ])
        expect(await page.locator('[data-field="welch"]').textContent()).toMatch(
          /Welch–Satterthwaite/,
        )
        expect(await page.locator('figure svg[role="img"]').count()).toBeGreaterThanOrEqual(4)
        await page.screenshot({ path: `${ARTIFACTS}cohort-compare.png`, fullPage: true })
        expect(violations).toEqual([])
      } finally {
        await context.close()
      }
    },
    90_000,
  )
})
