/**
 * The import run page in a real browser (Debian's Chromium): while a run is `running`, the
 * page's script (a static asset; the CSP admits no inline script) polls the run and shows its
 * counters as they move, then reloads once the run ends to show the outcome and its problems.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRun } from '../../src/ingest/runs.js'
import { members, SCHOOL_A, signIn } from '../admin-area/support.js'
import {
  browserTestName,
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
} from '../support/browser.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'

describe('import run page in a browser', { timeout: 120_000 }, () => {
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let url = ''
  let browser: Browser | undefined
  let cookie = ''

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return
    campus = await startTestCampus()
    const teachers = await members(campus, SCHOOL_A, 'teacher')
    cookie = (await signIn(campus, teachers[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
    server = await serveOnLoopback(campus.app.fetch)
    url = server.url
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
  })

  it.skipIf(!HAS_CHROMIUM)(
    browserTestName('shows a running import’s counters live, then its outcome'),
    async () => {
      const run = await startRun(campus.database.db, {
        source: 'ixl-csv',
        origin: 'ixl-live.csv',
        via: 'admin',
        orgSourcedId: SCHOOL_A,
        filesTotal: 1,
      })
      const context = await browser!.newContext()
      const [cookieName, value] = cookie.split('=')
      await context.addCookies([
        { name: cookieName ?? '', value: value ?? '', domain: '127.0.0.1', path: '/' },
      ])
      const page = await context.newPage()
      const violations: string[] = []
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
      })
      await page.goto(`${url}/admin/ixl-import/runs/${run.id}`)
      await shows(page, '[data-counter="status"]', 'running')

      run.counts.rowsRead = 1234
      run.counts.rowsInserted = 1000
      await run.progress(true)
      // The script's poll brings the new counters in without a reload.
      await shows(page, '[data-counter="rowsRead"]', '1234')
      await shows(page, '[data-counter="rowsInserted"]', '1000')

      run.problem('ixl-live.csv:7:Overall tier: unknown tier "Sideways"')
      await run.finish('failed', 'ixl-live.csv: 1 problem(s); nothing was written')
      await page
        .locator('pre.problems', { hasText: 'unknown tier "Sideways"' })
        .waitFor({ timeout: 30_000 })
      await shows(page, '[data-counter="status"]', 'failed')
      expect(violations).toEqual([])
      await context.close()
    },
  )
})

/** Waits until the element matching `selector` reads exactly `text` (a locator, not a timer). */
function shows(page: Page, selector: string, text: string): Promise<void> {
  return page.locator(selector, { hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 30_000 })
}
