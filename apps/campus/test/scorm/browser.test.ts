/**
 * SCORM in a real browser (Debian's Chromium): an administrator uploads a package through the
 * admin page; a learner launches it, the SCO finds scorm-again's API in the player, answers a
 * question and commits; a reload resumes from the saved location and suspend data; values set
 * but never committed reach the database by the unload beacon; finishing stores score and
 * status, which the package report shows. Done for SCORM 1.2 and SCORM 2004, with no Content
 * Security Policy violation on any page. Screenshots go to test/web/artifacts/ (not committed).
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { and, eq } from 'drizzle-orm'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { scormPackages, scormRegistrations, scormScoStates } from '../../src/db/schema.js'
import { members, signIn } from '../admin-area/support.js'
import {
  type BrowserCampus,
  browserTestName,
  HAS_CHROMIUM,
  startBrowserCampus,
} from '../support/browser.js'
import type { TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ARTIFACTS = fileURLToPath(new URL('../web/artifacts/', import.meta.url))
const ORG = 'org-school-01'

describe('SCORM in a browser', () => {
  let started: BrowserCampus | undefined
  let campus: TestCampus
  let url = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return
    started = await startBrowserCampus()
    ;({ campus, browser } = started)
    url = started.server.url
    mkdirSync(ARTIFACTS, { recursive: true })
  })
  afterAll(async () => {
    await started?.close()
  })

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

  function watch(page: Page, violations: string[]): void {
    page.setDefaultTimeout(20_000)
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
    })
  }

  it.skipIf(!HAS_CHROMIUM).each([
    { version: '1.2' as const, title: 'Browser SCORM 1.2', lessonStatus: 'passed' },
    { version: '2004' as const, title: 'Browser SCORM 2004', lessonStatus: null },
  ])(
    browserTestName('SCORM $version: upload, launch, answer, reload and resume, finish, report'),
    async (fixture) => {
      const [teacher] = await members(campus, ORG, 'teacher')
      const [student] = await members(campus, ORG, 'student')
      const admin = await signIn(campus, teacher?.id ?? '', ORG, 'administrator')
      const learner = await signIn(campus, student?.id ?? '', ORG, 'student')
      const violations: string[] = []

      // The administrator uploads the package.
      const adminContext = await signedIn(admin.cookie)
      const adminPage = await adminContext.newPage()
      watch(adminPage, violations)
      await adminPage.goto(`${url}/admin/scorm`)
      await adminPage.setInputFiles('#package', {
        name: `${fixture.version}.zip`,
        mimeType: 'application/zip',
        buffer: buildPackage({ version: fixture.version, title: fixture.title }),
      })
      await Promise.all([
        adminPage.waitForURL(/\/admin\/scorm\/[0-9a-f-]{36}\?notice=imported/),
        adminPage.click('button[type=submit]'),
      ])
      const [pkg] = await campus.database.db
        .select()
        .from(scormPackages)
        .where(eq(scormPackages.title, fixture.title))
      expect(pkg?.version).toBe(fixture.version)

      // The learner launches it, answers and saves.
      const context = await signedIn(learner.cookie)
      try {
        const page = await context.newPage()
        watch(page, violations)
        await page.goto(`${url}/scorm`)
        await page.getByRole('link', { name: fixture.title }).click()
        await page.waitForURL(new RegExp(`/scorm/packages/${pkg?.id}`))
        const frame = page.frameLocator('#scorm-content')
        await frame.locator('#out', { hasText: 'ready' }).waitFor()
        expect(await frame.locator('#version').textContent()).toBe(fixture.version)
        expect(await frame.locator('#entry').textContent()).toBe('ab-initio')
        await frame.locator('input[value=b]').check()
        await frame.locator('#save').click()
        await frame.locator('#out', { hasText: 'saved' }).waitFor()
        await page.locator('#scorm-status[data-commits="1"]').waitFor()

        // Reload: the SCO resumes where it was.
        await page.reload()
        await frame.locator('#out', { hasText: 'ready' }).waitFor()
        expect(await frame.locator('#entry').textContent()).toBe('resume')
        expect(await frame.locator('#resumed').textContent()).toBe('answer=b')
        expect(await frame.locator('#location').textContent()).toBe('q1')
        // The run-time holds the saved interaction again (2004 content can read it back).
        const get = (element: string) =>
          page.evaluate(
            fixture.version === '1.2'
              ? `window.API.LMSGetValue('${element}')`
              : `window.API_1484_11.GetValue('${element}')`,
          )
        expect(await get('cmi.interactions._count')).toBe('1')
        if (fixture.version === '2004') {
          expect(await get('cmi.interactions.0.id')).toBe('q1')
          expect(await get('cmi.interactions.0.learner_response')).toBe('b')
          expect(await get('cmi.interactions.0.result')).toBe('correct')
        }

        // A value set but never committed: the unload beacon delivers it.
        const setter =
          fixture.version === '1.2'
            ? "window.API.LMSSetValue('cmi.core.lesson_location', 'by-beacon')"
            : "window.API_1484_11.SetValue('cmi.location', 'by-beacon')"
        await page.evaluate(setter)
        await page.goto(`${url}/scorm`)
        const registration = async () => {
          const [row] = await campus.database.db
            .select()
            .from(scormRegistrations)
            .where(
              and(
                eq(scormRegistrations.packageId, pkg?.id ?? ''),
                eq(scormRegistrations.learnerId, student?.id ?? ''),
              ),
            )
          return row
        }
        await vi.waitFor(async () => expect((await registration())?.location).toBe('by-beacon'), {
          timeout: 15_000,
          interval: 100,
        })

        // Back again, and finish.
        await page.goto(`${url}/scorm/packages/${pkg?.id}`)
        await frame.locator('#out', { hasText: 'ready' }).waitFor()
        expect(await frame.locator('#location').textContent()).toBe('by-beacon')
        await frame.locator('#finish').click()
        await frame.locator('#out', { hasText: 'finished' }).waitFor()
        await page.locator('#scorm-status', { hasText: 'Finished' }).waitFor()
        await page.screenshot({
          path: `${ARTIFACTS}scorm-${fixture.version}-player.png`,
          fullPage: true,
        })
        const done = await registration()
        expect(done).toMatchObject({
          completionStatus: 'completed',
          successStatus: 'passed',
          scoreRaw: 100,
          scoreScaled: 1,
          lessonStatus: fixture.lessonStatus,
        })
        expect(done?.totalTimeSeconds).toBeGreaterThanOrEqual(65)
        const [state] = await campus.database.db
          .select()
          .from(scormScoStates)
          .where(eq(scormScoStates.registrationId, done?.id ?? ''))
        expect(state?.commitCount).toBeGreaterThanOrEqual(3)

        // The teacher's report lists the registration with its score and status.
        const teacherContext = await signedIn(
          (await signIn(campus, teacher?.id ?? '', ORG, 'teacher')).cookie,
        )
        const report = await teacherContext.newPage()
        watch(report, violations)
        await report.goto(`${url}/admin/scorm/${pkg?.id}`)
        const row = report.locator(`tr[data-learner-id="${student?.id}"]`)
        expect(await row.locator('[data-field=completion]').textContent()).toBe('completed')
        expect(await row.locator('[data-field=success]').textContent()).toBe('passed')
        expect(await row.locator('[data-field=score]').textContent()).toBe('100')
        await report.screenshot({
          path: `${ARTIFACTS}scorm-${fixture.version}-report.png`,
          fullPage: true,
        })
        await teacherContext.close()
        expect(violations).toEqual([])
      } finally {
        await context.close()
        await adminContext.close()
      }
    },
  )
})
