/**
 * The imports page in a real browser (Debian's Chromium): an administrator picks a zip, the
 * page's script uploads it, follows the run to its end and shows every problem — with no
 * inline script (no CSP violation is reported).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import yazl from 'yazl'
import { removeDir, tempDir, validSet } from '../ingest/oneroster-support.js'
import {
  HAS_CHROMIUM,
  type LoopbackServer,
  launchChromium,
  serveOnLoopback,
} from '../support/browser.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { DISTRICT, members, signIn } from './support.js'

async function zipFile(path: string, files: Record<string, string>): Promise<void> {
  const zip = new yazl.ZipFile()
  for (const [name, body] of Object.entries(files)) zip.addBuffer(Buffer.from(body), name)
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream.pipe(new PassThrough())) chunks.push(chunk as Buffer)
  await writeFile(path, Buffer.concat(chunks))
}

describe('imports page in a browser', () => {
  let campus: TestCampus
  let server: LoopbackServer | undefined
  let url = ''
  let browser: Browser | undefined
  let dir = ''

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return
    campus = await startTestCampus()
    server = await serveOnLoopback(campus.app.fetch)
    url = server.url
    browser = await launchChromium()
    dir = await tempDir()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await campus?.close()
    if (dir) await removeDir(dir)
  })

  it.skipIf(!HAS_CHROMIUM)(
    'uploads a zip, follows the run and lists its problems',
    { timeout: 120_000 },
    async () => {
      const plain = validSet()
      // Under the test campus's district, so the set is inside the administrator's organisation.
      const set = {
        ...plain,
        'orgs.csv': (plain['orgs.csv'] ?? '').replace(',district,D1,', `,district,D1,${DISTRICT}`),
      }
      const bad = join(dir, 'bad.zip')
      await zipFile(bad, {
        ...set,
        'orgs.csv': (set['orgs.csv'] ?? '').replace(',school,', ',campus,'),
      })
      const good = join(dir, 'good.zip')
      await zipFile(good, set)
      const [admin] = await members(campus, DISTRICT, 'administrator')
      const { token } = await signIn(campus, admin?.id ?? '', DISTRICT, 'administrator')
      const context = await browser!.newContext()
      await context.addCookies([
        { name: 'campus_session', value: token, domain: '127.0.0.1', path: '/', httpOnly: true },
      ])
      const page = await context.newPage()
      page.setDefaultTimeout(30_000)
      const violations: string[] = []
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
      })
      try {
        await page.goto(`${url}/admin/imports`)
        await page.setInputFiles('input[type=file]', bad)
        await Promise.all([
          page.waitForURL(/\/admin\/imports\/[0-9a-f-]{36}$/),
          page.getByRole('button', { name: 'Upload and import' }).click(),
        ])
        await page.locator('[data-run-field="status"]', { hasText: 'failed' }).waitFor()
        await page
          .locator('ol.problems li', { hasText: 'orgs.csv:3:type: unknown value "campus"' })
          .waitFor()

        await page.goto(`${url}/admin/imports`)
        await page.setInputFiles('input[type=file]', good)
        await Promise.all([
          page.waitForURL(/\/admin\/imports\/[0-9a-f-]{36}$/),
          page.getByRole('button', { name: 'Upload and import' }).click(),
        ])
        await page.locator('[data-run-field="status"]', { hasText: 'succeeded' }).waitFor()
        expect(await page.locator('[data-run-field="rowsInserted"]').textContent()).toBe('16')
        expect(await page.locator('[data-run-field="filesDone"]').textContent()).toBe('11/11')
        expect(violations).toEqual([])
      } catch (error) {
        console.error(
          'imports page at failure:',
          page.url(),
          await page
            .locator('main')
            .innerText()
            .catch(() => ''),
          violations,
        )
        throw error
      } finally {
        await context.close()
      }
    },
  )
})
