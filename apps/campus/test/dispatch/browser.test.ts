/**
 * A dispatch end to end in Chromium: a stand-in LMS on another origin (its own HTTP server,
 * with a SCORM 1.2 `API` that records every call) plays the downloaded dispatch package. The
 * launcher finds the LMS's API, launches on campus (CORS, domain and key checks), frames the
 * campus player, and the learner answers and finishes the course. Campus's run-time stores the
 * commits on the registration (which the tenant dashboard then counts) and the LMS's API
 * receives the status, score and time too (mirrored by the launcher). No campus page needs an inline
 * script (no CSP violation is reported).
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { eq } from 'drizzle-orm'
import { type Browser, chromium } from 'playwright-core'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../../packages/satchel/test/helpers.js'
import { scormRegistrations } from '../../src/db/schema.js'
import { dispatchPackageFiles } from '../../src/dispatch/package.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { SCHOOL_A } from '../admin-area/support.js'
import { buildPackage, SCO_SCRIPT } from '../scorm/fixtures.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { dispatchFixture } from './support.js'

/**
 * The fixture SCO, looking for the API the way robust content does: it stops at an ancestor
 * of another origin instead of throwing there. Under a dispatch the player's parents are the
 * launcher and the LMS, other origins, and the SCO walks past the player when it first looks
 * for the other version's API (docs/scorm-dispatch.md, "content requirements").
 */
const DISPATCH_SCO_SCRIPT = SCO_SCRIPT.replace(
  'if (w[name]) return w[name]',
  'try { if (w[name]) return w[name] } catch (e) { return null }',
)

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const name = (title: string) => (hasChromium ? title : `${title} (skipped: ${CHROMIUM} is missing)`)

/** The stand-in LMS page: its SCORM 1.2 API logs every call into #lms-log. */
const LMS_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>LMS</title></head><body>
<pre id="lms-log"></pre>
<script>
  var log = document.getElementById('lms-log')
  function note(line) { log.textContent += line + '\\n' }
  var values = { 'cmi.core.student_id': 'lms-learner-42', 'cmi.core.student_name': 'Doe, Jane' }
  window.API = {
    LMSInitialize: function () { note('initialize'); return 'true' },
    LMSGetValue: function (k) { return values[k] || '' },
    LMSSetValue: function (k, v) { values[k] = v; note('set ' + k + '=' + v); return 'true' },
    LMSCommit: function () { note('commit'); return 'true' },
    LMSFinish: function () { note('finish'); return 'true' },
    LMSGetLastError: function () { return '0' },
    LMSGetErrorString: function () { return '' },
    LMSGetDiagnostic: function () { return '' },
  }
</script>
<iframe src="/pkg/index.html" title="course" width="1000" height="700"></iframe>
</body></html>`

describe('a dispatch played in a tenant LMS', () => {
  let redis: RedisServer
  let campus: TestCampus
  let rt: DispatchRuntime
  let campusServer: ServerType | undefined
  let lmsServer: Server | undefined
  let browser: Browser | undefined
  let campusUrl = ''
  let lmsUrl = ''
  let files: Record<string, Uint8Array> = {}
  let dispatchId = ''

  beforeAll(async () => {
    if (!hasChromium) return
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    rt = dispatchRuntimeOf(campus.deps)
    campusUrl = await new Promise<string>((resolve) => {
      campusServer = serve({ fetch: campus.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(`http://127.0.0.1:${(info as AddressInfo).port}`),
      )
    })
    const imported = await importScormPackage(campus.deps.scorm, {
      orgId: SCHOOL_A,
      bytes: buildPackage({
        version: '1.2',
        title: 'Primes',
        files: { 'shared/sco.js': DISPATCH_SCO_SCRIPT },
      }),
      origin: 'primes.zip',
      via: 'cli',
    })
    // The LMS is "localhost", campus is "127.0.0.1": two origins, as in production.
    const f = await dispatchFixture(rt, SCHOOL_A, {
      tenant: { allowedDomains: ['localhost'] },
      packageId: imported.packageId,
    })
    dispatchId = f.dispatch.id
    files = dispatchPackageFiles({
      dispatchId: f.dispatch.id,
      title: f.dispatch.title,
      campusOrigin: campusUrl,
      key: f.key,
      version: '1.2',
    })
    lmsServer = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname
      if (path === '/lms.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LMS_PAGE)
        return
      }
      const file = path.startsWith('/pkg/') ? files[path.slice('/pkg/'.length)] : undefined
      if (!file) {
        res.writeHead(404).end()
        return
      }
      const type = path.endsWith('.js')
        ? 'text/javascript'
        : path.endsWith('.css')
          ? 'text/css'
          : 'text/html; charset=utf-8'
      res.writeHead(200, { 'content-type': type }).end(Buffer.from(file))
    })
    await new Promise<void>((resolve) => lmsServer?.listen(0, 'localhost', resolve))
    lmsUrl = `http://localhost:${(lmsServer.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (lmsServer ? lmsServer.close(() => resolve()) : resolve()))
    await new Promise<void>((resolve) =>
      campusServer ? campusServer.close(() => resolve()) : resolve(),
    )
    await campus?.close()
    await redis?.stop()
  })

  it.skipIf(!hasChromium)(
    name('launches from the LMS, records the result on campus and mirrors it into the LMS'),
    async () => {
      const page = await browser!.newPage()
      const violations: string[] = []
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
      })
      await page.goto(`${lmsUrl}/lms.html`)
      const content = page
        .frameLocator('iframe')
        .frameLocator('iframe')
        .frameLocator('#scorm-content')
      await content.locator('#out', { hasText: 'ready' }).waitFor({ timeout: 20_000 })
      await content.locator('input[value=b]').check()
      await content.locator('#save').click()
      await content.locator('#out', { hasText: 'saved' }).waitFor({ timeout: 15_000 })
      await content.locator('#finish').click()
      await content.locator('#out', { hasText: 'finished' }).waitFor({ timeout: 15_000 })

      // The LMS received the result through its own API.
      const log = page.locator('#lms-log', { hasText: 'finish' })
      await log.waitFor({ timeout: 15_000 })
      const lines = (await log.textContent()) ?? ''
      expect(lines).toContain('initialize')
      expect(lines).toContain('set cmi.core.lesson_status=passed')
      expect(lines).toContain('set cmi.core.score.raw=100')
      expect(lines).toContain('set cmi.core.session_time=0000:01:05')

      // Campus received it too: the registration of the LMS's learner.
      const registration = async () =>
        (
          await campus.database.db
            .select()
            .from(scormRegistrations)
            .where(eq(scormRegistrations.dispatchId, dispatchId))
        )[0]
      await waitFor(async () => (await registration())?.totalTimeSeconds === 65, 15_000, 50)
      expect(await registration()).toMatchObject({
        learnerId: 'lms-learner-42',
        learnerName: 'Doe, Jane',
        completionStatus: 'completed',
        successStatus: 'passed',
        scoreScaled: 1,
        totalTimeSeconds: 65,
      })
      const tenantId = (await rt.cache.dispatch(SCHOOL_A, dispatchId))?.tenantId ?? ''
      expect((await rt.cache.dashboard(SCHOOL_A, tenantId)).totals).toMatchObject({
        registrations: 1,
        completions: 1,
        passRate: 1,
      })
      expect(violations).toEqual([])
      await page.close()
    },
    90_000,
  )
})
