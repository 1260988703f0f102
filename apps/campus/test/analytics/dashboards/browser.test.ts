/**
 * The dashboards in a real browser (Debian's Chromium), under the strict Content-Security-Policy
 * and without client script: the demo student and the demo teacher of school A sign in through
 * the form and see their dashboards (both enrolled in a seeded class first, so there is
 * something to show).
 */
import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import type { Browser } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/app.js'
import { classes, enrollments } from '../../../src/db/schema.js'
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
import { findCast, SCHOOL_A } from './support.js'

describe.skipIf(!HAS_CHROMIUM)('dashboards in a browser', () => {
  let redis: RedisServer
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let baseUrl = ''
  let browser: Browser
  let classTitle = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await seedDemoAccounts(campus.database.db)
    const cast = await findCast(campus)
    const [cls] = await campus.database.db
      .select({ title: classes.title })
      .from(classes)
      .where(eq(classes.sourcedId, cast.classA))
    classTitle = cls?.title ?? ''
    const enroll = (userSourcedId: string, role: string) => ({
      sourcedId: `enr-demo-${role}`,
      classSourcedId: cast.classA,
      schoolSourcedId: SCHOOL_A,
      userSourcedId,
      role,
    })
    await campus.database.db
      .insert(enrollments)
      .values([
        enroll('usr-demo-school01-student', 'student'),
        enroll('usr-demo-school01-teacher', 'teacher'),
      ])
    const outer = new Hono()
    outer.route('/', createApp(campus.deps))
    server = await serveOnLoopback(outer.fetch)
    baseUrl = server.url
    browser = await launchChromium()
    // Seeding and hashing the demo passwords is slow on a loaded machine.
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
    await redis?.stop()
  })

  async function signedIn(email: string) {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const violations = watchCspViolations(page)
    await page.goto(`${baseUrl}/dashboard`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await signInThroughForm(page, { email, password: DEMO_PASSWORD }, '/dashboard')
    return { context, page, violations }
  }

  it('shows the student their courses and the teacher their class', async () => {
    const student = await signedIn(ACCOUNTS.student)
    try {
      expect(await student.page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'My dashboard',
      )
      const courses = student.page.getByRole('table', { name: 'My courses' })
      expect(await courses.textContent()).toContain(classTitle)
      expect(await student.page.getByTestId('xp').textContent()).toContain('XP')
      expect(student.violations).toEqual([])
    } finally {
      await student.context.close()
    }
    const teacher = await signedIn(ACCOUNTS.teacher)
    try {
      expect(await teacher.page.getByRole('heading', { level: 1 }).textContent()).toBe('My classes')
      const table = teacher.page.getByRole('table', { name: 'My classes' })
      expect(await table.textContent()).toContain(classTitle)
      expect(await teacher.page.getByRole('heading', { name: 'Who is behind' }).count()).toBe(1)
      expect(await teacher.page.locator('svg[role="img"]').count()).toBeGreaterThan(0)
      expect(teacher.violations).toEqual([])
    } finally {
      await teacher.context.close()
    }
  }, 120_000)

  it('shows the school administrator their school and the operator the platform', async () => {
    const admin = await signedIn(ACCOUNTS.admin)
    try {
      expect(await admin.page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'School dashboard',
      )
      expect(await admin.page.getByTestId('pending').count()).toBe(1)
      expect(await admin.page.getByRole('table', { name: 'Grade levels' }).count()).toBe(1)
      expect(admin.violations).toEqual([])
    } finally {
      await admin.context.close()
    }
    const operator = await signedIn(ACCOUNTS.operator)
    try {
      await operator.page.goto(`${baseUrl}/dashboard/platform`)
      expect(await operator.page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Platform dashboard',
      )
      expect(operator.violations).toEqual([])
    } finally {
      await operator.context.close()
    }
  }, 120_000)
})
