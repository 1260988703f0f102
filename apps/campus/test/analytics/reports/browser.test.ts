/**
 * Search and reports in a real browser (Debian's Chromium) under campus's own security headers:
 * a teacher signs in, searches from the header box (a plain form), opens their class report and
 * downloads its CSV.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { type Browser, chromium } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrollments } from '../../../src/db/schema.js'
import { seedDemoAccounts } from '../../../src/seed/accounts.js'
import { ACCOUNTS, DEMO_PASSWORD } from '../../auth/support.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { FX, SCHOOL_A, writeFixture } from './fixture.js'

const CHROMIUM = '/usr/bin/chromium'
const DEMO_TEACHER = 'usr-demo-school01-teacher'

describe.skipIf(!existsSync(CHROMIUM))('search and reports in a browser', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: ServerType
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
    await new Promise<void>((resolve) => {
      server = serve({ fetch: campus.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        baseUrl = `http://127.0.0.1:${(info as AddressInfo).port}`
        resolve()
      })
    })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await campus?.close()
    await redis?.stop()
  })

  it('signs in as a teacher, searches, opens a class report and downloads its CSV', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text())
    })
    await page.goto(`${baseUrl}/account`)
    await page.getByLabel('Email').fill(ACCOUNTS.teacher)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/account'),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ])

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
