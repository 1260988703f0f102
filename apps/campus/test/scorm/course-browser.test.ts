/**
 * Launching a SCO from the course page in a real browser (Debian's Chromium): a learner opens
 * the course page, sees the package their school attached to the course as "not attempted",
 * launches its SCO, answers and saves, reloads and resumes, finishes, and the course page then
 * shows "passed" with the score. Done for SCORM 2004 with no Content Security Policy violation.
 * Screenshots go to test/web/artifacts/ (not committed).
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importScormPackage } from '../../src/scorm/import.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
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

describe('SCORM from the course page in a browser', () => {
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

  it.skipIf(!HAS_CHROMIUM)(
    browserTestName('course page → launch → answer → reload and resume → finish → status'),
    async () => {
      await importScormPackage(campus.deps.scorm, {
        orgId: ORG,
        courseId: F.course.courseId,
        bytes: buildPackage({ version: '2004', title: 'Course page SCORM 2004' }),
        origin: 'course.zip',
        via: 'cli',
      })
      const [student] = await members(campus, ORG, 'student')
      const { token } = await signIn(campus, student?.id ?? '', ORG, 'student')
      const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } })
      await context.addCookies([
        { name: 'campus_session', value: token, domain: '127.0.0.1', path: '/', httpOnly: true },
      ])
      const violations: string[] = []
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
      })
      try {
        await page.goto(`${url}${F.course.path}`)
        const section = page.locator('section.scorm-activities')
        await section.getByText('Course page SCORM 2004').waitFor()
        expect(await section.locator('.scorm-status').first().textContent()).toBe('not attempted')

        await section.getByRole('link', { name: 'Lesson 1' }).click()
        await page.waitForURL(/\/scorm\/packages\/[0-9a-f-]{36}\?sco=/)
        const frame = page.frameLocator('#scorm-content')
        await frame.locator('#out', { hasText: 'ready' }).waitFor()
        expect(await frame.locator('#entry').textContent()).toBe('ab-initio')
        await frame.locator('input[value=b]').check()
        await frame.locator('#save').click()
        await frame.locator('#out', { hasText: 'saved' }).waitFor()

        await page.reload()
        await frame.locator('#out', { hasText: 'ready' }).waitFor()
        expect(await frame.locator('#entry').textContent()).toBe('resume')
        expect(await frame.locator('#resumed').textContent()).toBe('answer=b')

        await frame.locator('#finish').click()
        await frame.locator('#out', { hasText: 'finished' }).waitFor()
        await page.locator('#scorm-status', { hasText: 'Finished' }).waitFor()

        await page.goto(`${url}${F.course.path}`)
        await section.getByText('Course page SCORM 2004').waitFor()
        const statuses = await section.locator('.scorm-status').allTextContents()
        expect(statuses).toEqual(['passed · 100%', 'passed · 100%'])
        await page.screenshot({ path: `${ARTIFACTS}scorm-course-page.png`, fullPage: true })
        expect(violations).toEqual([])
      } finally {
        await context.close()
      }
    },
  )
})
