/**
 * A learner's walk in a real browser: index → subject → course → unit → lesson → video →
 * back to the unit → quiz, clicking links by the text a reader sees. Screenshots of the video
 * and quiz pages go to test/web/artifacts/ (not committed).
 */
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { F, titleOf } from './fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))

function listen(app: ReturnType<typeof createApp>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ server, url: `http://127.0.0.1:${(info as AddressInfo).port}` })
    })
  })
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
}

async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).textContent()) ?? ''
}

/** Clicks the first link named exactly `name` in the main content and waits for the page. */
async function follow(page: Page, name: string): Promise<void> {
  const from = new URL(page.url()).pathname
  await Promise.all([
    page.waitForURL((url) => url.pathname !== from),
    page.locator('main').getByRole('link', { name, exact: true }).first().click(),
  ])
}

const WALK = 'clicks from the index to a video and a quiz, with screenshots'

describe('browser walk', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: ServerType | undefined
  let baseUrl = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!hasChromium) return
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    ;({ server, url: baseUrl } = await listen(createApp(campus.deps)))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    })
    mkdirSync(ARTIFACTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    if (server) await close(server)
    await campus?.close()
    await redis?.stop()
  })

  const name = hasChromium ? WALK : `${WALK} (skipped: ${CHROMIUM} is missing)`
  it.skipIf(!hasChromium)(
    name,
    async () => {
      const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } })
      const page = await context.newPage()
      // Fail a step with its own message well before the test's timeout.
      page.setDefaultTimeout(10_000)
      // The embed must not reach the network (or hang the test): every request that is not
      // campus's own is refused.
      await page.route(
        (url) => url.origin !== baseUrl,
        (route) => route.abort(),
      )
      // Every Content-Security-Policy violation on the walk: Chromium reports each as a console
      // error, and the page gets a securitypolicyviolation event (recorded by an init script,
      // which the browser runs outside the page's CSP).
      const violations: string[] = []
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
      })
      await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text))
      // A string: this file is type-checked without the DOM library.
      await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
        window.reportCspViolation(event.violatedDirective + ' blocked ' + event.blockedURI)
      })`)
      try {
        await page.goto(`${baseUrl}/`)
        expect(await heading(page)).toBe('Subjects')

        await follow(page, 'Math')
        expect(await heading(page)).toBe('Math')

        const courseTitle = titleOf(F.course.id)
        await follow(page, courseTitle)
        expect(await heading(page)).toBe(courseTitle)
        expect(new URL(page.url()).pathname).toBe(F.course.path)

        const unitTitle = titleOf(F.unit.id)
        await follow(page, unitTitle)
        expect(await heading(page)).toBe(unitTitle)

        await follow(page, titleOf(F.lesson.id))
        expect(new URL(page.url()).pathname).toBe(F.lesson.path)
        await expect
          .poll(() => page.getByRole('navigation', { name: 'Lesson contents' }).isVisible())
          .toBe(true)

        const videoTitle = titleOf(F.video.id)
        await follow(page, videoTitle)
        expect(await heading(page)).toBe(videoTitle)
        const frame = page.locator(`iframe[title="${videoTitle}"]`)
        expect(await frame.getAttribute('src')).toMatch(
          /^https:\/\/www\.youtube-nocookie\.com\/embed\/[\w-]{11}$/,
        )
        await page.screenshot({ path: `${ARTIFACTS}video.png`, fullPage: true })

        await follow(page, `Back to unit: ${unitTitle}`)
        expect(await heading(page)).toBe(unitTitle)

        const quizTitle = titleOf(F.quiz.id)
        await follow(page, quizTitle)
        expect(await heading(page)).toBe(quizTitle)
        expect(new URL(page.url()).pathname).toBe(F.quiz.path)
        expect(await page.getByRole('radio').count()).toBeGreaterThan(0)
        await page.screenshot({ path: `${ARTIFACTS}quiz.png`, fullPage: true })
        expect(violations).toEqual([])
      } finally {
        await context.close()
      }
    },
    60_000,
  )
})
