/**
 * What every browser test needs: Debian's Chromium (never a downloaded browser) with the flags
 * this machine requires, a campus served on a free loopback port, and a watch for
 * Content-Security-Policy violations. A test skips when Chromium is missing (`.ci/run` installs it).
 */
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { startTestCampus, type TestCampus } from './campus.js'

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium'
/** Whether {@link CHROMIUM} is installed. */
export const HAS_CHROMIUM = existsSync(CHROMIUM)

/** A test's title, saying why it is skipped when Chromium is missing. */
export function browserTestName(title: string): string {
  return HAS_CHROMIUM ? title : `${title} (skipped: ${CHROMIUM} is missing)`
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** A fetch handler served on 127.0.0.1 at a free port. */
export interface LoopbackServer {
  readonly url: string
  close(): Promise<void>
}

/** Serves `fetch` (a Hono app's) on a free loopback port. */
export function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>) {
  return new Promise<LoopbackServer>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${(info as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    })
  })
}

/** Collects the page's Content-Security-Policy violations reported on its console. */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text())
  })
  return violations
}

/**
 * Signs in through campus's sign-in form on `page`, which must show it (or redirect to it), and
 * waits until the browser lands on `landing`.
 */
export async function signInThroughForm(
  page: Page,
  credentials: { email: string; password: string },
  landing: string,
): Promise<void> {
  await page.getByLabel('Email').fill(credentials.email)
  await page.getByLabel('Password').fill(credentials.password)
  await Promise.all([
    page.waitForURL((u) => u.pathname === landing),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ])
}

/** A campus on its own redis-server, served on loopback, and a browser to drive it. */
export interface BrowserCampus {
  readonly redis: RedisServer
  readonly campus: TestCampus
  readonly server: LoopbackServer
  readonly browser: Browser
  /** Closes the browser, the server, the campus and Redis. */
  close(): Promise<void>
}

/** Starts a {@link BrowserCampus} (the usual set-up of a browser test). */
export async function startBrowserCampus(): Promise<BrowserCampus> {
  const redis = await startRedis()
  const campus = await startTestCampus({ redisUrl: redis.url })
  const server = await serveOnLoopback(campus.app.fetch)
  const browser = await launchChromium()
  return {
    redis,
    campus,
    server,
    browser,
    async close() {
      await browser.close()
      await server.close()
      await campus.close()
      await redis.stop()
    },
  }
}
