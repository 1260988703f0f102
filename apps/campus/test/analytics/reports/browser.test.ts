/**
 * Search and reports in a real browser (Debian's Chromium) under campus's own security headers:
 * a teacher signs in, searches from the header box (a plain form), opens their class report and
 * downloads its CSV.
 */
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrollments } from '../../../src/db/schema.js'
import { seedDemoAccounts } from '../../../src/seed/accounts.js'
import { ACCOUNTS, DEMO_PASSWORD } from '../../auth/support.js'
import {
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
  signInThroughForm,
  watchCspViolations,
} from '../../support/browser.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { FX, SCHOOL_A, writeFixture } from './fixture.js'

const DEMO_TEACHER = 'usr-demo-school01-teacher'

describe.skipIf(!HAS_CHROMIUM)('search and reports in a browser', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let baseUrl = ''
  let browser: Browser

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await seedDemoAccounts(campus.database.db)
    await writeFixture(campus)
    await campus.database.db.insert(enrollments).values({
      sourcedId: 'enr-fx-demo-teacher',
      classSourcedId: FX.classA,
      schoolSourcedId: SCHOOL_A,
      userSourcedId: DEMO_TEACHER,
      role: 'teacher',
    })
    server = await serveOnLoopback(campus.app.fetch)
    baseUrl = server.url
    browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
    await redis?.stop()
  })

  it('signs in as a teacher, searches, opens a class report and downloads its CSV', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const violations = watchCspViolations(page)
    await page.goto(`${baseUrl}/account`)
    await signInThroughForm(page, { email: ACCOUNTS.teacher, password: DEMO_PASSWORD }, '/account')

    // The header's search box (on every content page), a plain form.
    await page.goto(`${baseUrl}/`)
    await page.getByRole('searchbox', { name: 'Search' }).fill('  Élan ')
    await page.getByRole('combobox', { name: 'Search for' }).selectOption('classes')
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/search'),
      page.getByRole('button', { name: 'Go' }).click(),
    ])
    const results = page.getByRole('list', { name: 'Results' })
    expect(await results.getByRole('listitem').count()).toBe(1)

    await Promise.all([
      page.waitForURL((u) => u.pathname === `/reports/classes/${FX.classA}`),
      results.getByRole('link', { name: 'Fixture Algebra Élan' }).click(),
    ])
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Fixture Algebra Élan')
    expect(await page.getByRole('row', { name: /José García/ }).count()).toBe(1)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(`class-${FX.classA}.csv`)
    const path = await download.path()
    const csv = readFileSync(path, 'utf8')
    expect(csv.split('\r\n')[0]).toMatch(/^learner_id,name,attempts,mean_score,best_score,/)
    expect(csv).toContain(`${FX.jose},José García,0,`)
    expect(violations).toEqual([])
    await context.close()
  }, 120_000)
})
