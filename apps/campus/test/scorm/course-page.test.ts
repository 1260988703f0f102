/**
 * The course page's SCORM section over HTTP: a school learner sees the packages their school
 * attached to the course with a launch link per SCO and their own status, which a commit
 * changes and another learner never sees; an anonymous visitor sees the course organisation's
 * packages with "Sign in to launch" and no launch link; the list is cached per organisation
 * and course, an upload for the course refreshes it, and with Redis killed the page still
 * lists the packages from PostgreSQL.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coursePackagesKey } from '../../src/scorm/course/packages.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { members, signIn } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const SCHOOL = 'org-school-01'
const DISTRICT = 'org-district'

describe('SCORM packages on the course page', () => {
  let redis: RedisServer
  let campus: TestCampus
  let learner = ''
  let other = ''
  let schoolPackage = ''

  const inRedis = async (key: string): Promise<boolean> =>
    (await campus.satchel.redis.client?.exists(key)) === 1
  const page = async (cookie?: string) => {
    const res = await campus.app.request(F.course.path, cookie ? { headers: { cookie } } : {})
    expect(res.status).toBe(200)
    return { res, html: await res.text() }
  }
  const importFor = (orgId: string, title: string, scos: number, version: '1.2' | '2004') =>
    importScormPackage(campus.deps.scorm, {
      orgId,
      courseId: F.course.courseId,
      bytes: buildPackage({ version, title, scos }),
      origin: `${title}.zip`,
      via: 'cli',
    })

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [a, b] = await members(campus, SCHOOL, 'student')
    learner = (await signIn(campus, a?.id ?? '', SCHOOL, 'student')).cookie
    other = (await signIn(campus, b?.id ?? '', SCHOOL, 'student')).cookie
    schoolPackage = (await importFor(SCHOOL, 'School multi-SCO course', 2, '1.2')).packageId
    await importFor(DISTRICT, 'District course for everyone', 1, '2004')
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('an anonymous visitor sees the course organisation’s packages and "Sign in to launch"', async () => {
    const { res, html } = await page()
    expect(res.headers.get('vary')).toContain('Cookie')
    expect(html).toContain('SCORM activities')
    expect(html).toContain('District course for everyone')
    expect(html).not.toContain('School multi-SCO course')
    expect(html).toContain('Sign in to launch')
    expect(html).not.toContain('/scorm/packages/')
    expect(html).not.toContain('not attempted')
    // Warm, the anonymous page (SCORM section included) reads nothing from PostgreSQL.
    const before = campus.database.queryCount
    expect((await page()).html).toContain('District course for everyone')
    expect(campus.database.queryCount).toBe(before)
  })

  it('a learner sees their school’s package, a launch link per SCO and their status', async () => {
    const { html } = await page(learner)
    expect(html).toContain('School multi-SCO course')
    const links = [...html.matchAll(/href="(\/scorm\/packages\/[^"]+)"/g)].map((m) => m[1])
    expect(links).toHaveLength(2)
    expect(links[0]).toContain(`/scorm/packages/${schoolPackage}?sco=`)
    expect(html).not.toContain('Sign in to launch')
    expect(html.match(/>not attempted</g)).toHaveLength(3) // the package and its two SCOs

    // The learner launches the first SCO and commits; their page shows it, the other's not.
    const launched = await campus.app.request((links[0] ?? '').replaceAll('&amp;', '&'), {
      headers: { cookie: learner },
    })
    expect(launched.status).toBe(200)
    const launchedHtml = await launched.text()
    const commitUrl = /data-commit-url="([^"]+)"/.exec(launchedHtml)?.[1] ?? ''
    const commit = await campus.app.request(commitUrl, {
      method: 'POST',
      headers: { cookie: learner, 'content-type': 'application/json' },
      body: JSON.stringify({
        'cmi.core.lesson_status': 'passed',
        'cmi.core.score.raw': '90',
        'cmi.core.score.max': '100',
        'cmi.core.score.min': '0',
      }),
    })
    expect(commit.status).toBe(200)
    const after = await page(learner)
    expect(after.html).toMatch(/>passed · 90%</) // the SCO
    expect(after.html).toMatch(/>incomplete · 90%</) // the package: one SCO of two
    const others = await page(other)
    expect(others.html).not.toContain('passed')
    expect(others.html.match(/>not attempted</g)).toHaveLength(3)
  })

  it('caches the list per organisation and course; an upload for the course refreshes it', async () => {
    await page(learner)
    const key = coursePackagesKey(campus.deps.scorm, SCHOOL, F.course.courseId)
    expect(key).toBe(`campus:o:${SCHOOL}:scorm-course-packages:${F.course.courseId}`)
    expect(await inRedis(key)).toBe(true)
    await importFor(SCHOOL, 'School second package', 1, '2004')
    expect(await inRedis(key)).toBe(false)
    expect((await page(learner)).html).toContain('School second package')
  })

  it('an administrator uploads for the course through the admin form; a course of no owner of the school is refused', async () => {
    const [teacher] = await members(campus, SCHOOL, 'teacher')
    const admin = (await signIn(campus, teacher?.id ?? '', SCHOOL, 'administrator')).cookie
    const upload = (title: string, course: string) => {
      const form = new FormData()
      const bytes = buildPackage({ version: '2004', title })
      form.set('package', new File([new Uint8Array(bytes)], 'c.zip', { type: 'application/zip' }))
      form.set('course', course)
      return campus.app.request('http://localhost/admin/scorm/upload', {
        method: 'POST',
        headers: { cookie: admin, origin: 'http://localhost' },
        body: form,
      })
    }
    await page(learner) // the list is cached now
    const ok = await upload('Uploaded for the course', F.course.courseId)
    expect(ok.status).toBe(303)
    expect((await page(learner)).html).toContain('Uploaded for the course')
    const refused = await upload('Nowhere', 'course-that-does-not-exist')
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('not found in this organisation')
  })

  it('with Redis killed the page still lists the packages from PostgreSQL', async () => {
    await redis.kill()
    try {
      // A package imported while Redis is gone is in no cache: the page reads PostgreSQL.
      await importFor(SCHOOL, 'School offline package', 1, '1.2')
      const { html } = await page(learner)
      expect(html).toContain('School multi-SCO course')
      expect(html).toContain('School offline package')
    } finally {
      await redis.restart()
    }
  })
})
