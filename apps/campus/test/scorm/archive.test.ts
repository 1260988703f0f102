/**
 * Archiving a package: administrators only, confirmed on its own page, CSRF-checked, another
 * organisation's package is 404. Once archived it leaves the course page and the learner list,
 * its cached manifest and course list are dropped, and every launch is refused with 410 (the
 * learner player, its files, a new attempt, a dispatch launch even for a learner resuming),
 * while its registrations and report stay. Archiving twice keeps the first date.
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scormPackages, scormRegistrations } from '../../src/db/schema.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import { coursePackagesKey } from '../../src/scorm/course/packages.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { manifestKey } from '../../src/scorm/manifest-cache.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { members, signIn } from '../admin-area/support.js'
import { postForm, send } from '../auth/support.js'
import { dispatchFixture, LMS_ORIGIN, launch, snapshot } from '../dispatch/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage } from './fixtures.js'

const ORG = 'org-school-01'
const OTHER = 'org-school-02'

describe('archiving a SCORM package', () => {
  let redis: RedisServer
  let campus: TestCampus
  const as: Record<'admin' | 'teacher' | 'learner' | 'otherAdmin', string> = {
    admin: '',
    teacher: '',
    learner: '',
    otherAdmin: '',
  }

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [teacher] = await members(campus, ORG, 'teacher')
    const [student] = await members(campus, ORG, 'student')
    const [otherTeacher] = await members(campus, OTHER, 'teacher')
    as.admin = (await signIn(campus, teacher?.id ?? '', ORG, 'administrator')).cookie
    as.teacher = (await signIn(campus, teacher?.id ?? '', ORG, 'teacher')).cookie
    as.learner = (await signIn(campus, student?.id ?? '', ORG, 'student')).cookie
    as.otherAdmin = (await signIn(campus, otherTeacher?.id ?? '', OTHER, 'administrator')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  const inRedis = async (key: string) => (await campus.satchel.redis.client?.exists(key)) === 1
  const get = async (path: string, cookie: string): Promise<Response> =>
    send(campus.app, path, {}, { cookie })
  const code = async (res: Response) => ((await res.json()) as { code: string }).code

  it('takes the package out of use and keeps its registrations and report', async () => {
    const { packageId } = await importScormPackage(campus.deps.scorm, {
      orgId: ORG,
      courseId: F.course.courseId,
      bytes: buildPackage({ version: '1.2', title: 'To be archived' }),
      origin: 'archive.zip',
      via: 'cli',
    })
    const [pkg] = await campus.database.db
      .select()
      .from(scormPackages)
      .where(eq(scormPackages.id, packageId))
    const player = await get(`/scorm/packages/${packageId}`, as.learner)
    expect(player.status).toBe(200)
    const contentPath = /data-launch-url="([^"]+)"/.exec(await player.text())?.[1] ?? ''
    const rt = dispatchRuntimeOf(campus.deps)
    const f = await dispatchFixture(rt, ORG, { packageId })
    expect(
      (await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'lms-1' })).status,
    ).toBe(201)
    expect(
      (await get(F.course.path, as.learner).then((r) => r.text())).includes('To be archived'),
    ).toBe(true)
    const listKey = coursePackagesKey(campus.deps.scorm, ORG, F.course.courseId)
    const mKey = manifestKey(campus.satchel, ORG, packageId, pkg?.contentHash ?? '')
    expect(await inRedis(listKey)).toBe(true)
    expect(await inRedis(mKey)).toBe(true)

    // Who may archive: administrators of the organisation, from this site.
    expect((await get(`/admin/scorm/${packageId}/archive`, as.teacher)).status).toBe(403)
    expect(
      (await postForm(campus.app, `/admin/scorm/${packageId}/archive`, {}, { cookie: as.teacher }))
        .status,
    ).toBe(403)
    expect(
      (
        await postForm(
          campus.app,
          `/admin/scorm/${packageId}/archive`,
          {},
          { cookie: as.otherAdmin },
        )
      ).status,
    ).toBe(404)
    const crossSite = await send(
      campus.app,
      `/admin/scorm/${packageId}/archive`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
      },
      { cookie: as.admin },
    )
    expect(crossSite.status).toBe(403)
    const confirm = await get(`/admin/scorm/${packageId}/archive`, as.admin)
    expect(confirm.status).toBe(200)
    const confirmHtml = await confirm.text()
    expect(confirmHtml).toContain('2 registrations')
    expect(confirmHtml).toContain(`action="/admin/scorm/${packageId}/archive"`)
    const [stillOpen] = await campus.database.db
      .select({ archivedAt: scormPackages.archivedAt })
      .from(scormPackages)
      .where(eq(scormPackages.id, packageId))
    expect(stillOpen?.archivedAt).toBeNull()

    const archived = await postForm(
      campus.app,
      `/admin/scorm/${packageId}/archive`,
      {},
      { cookie: as.admin },
    )
    expect(archived.status).toBe(303)
    expect(archived.headers.get('location')).toBe(`/admin/scorm/${packageId}?notice=archived`)
    const [row] = await campus.database.db
      .select({ archivedAt: scormPackages.archivedAt })
      .from(scormPackages)
      .where(eq(scormPackages.id, packageId))
    expect(row?.archivedAt).toBeInstanceOf(Date)
    expect(await inRedis(listKey)).toBe(false)
    expect(await inRedis(mKey)).toBe(false)

    // Gone from the course page and the learner list.
    expect(await get(F.course.path, as.learner).then((r) => r.text())).not.toContain(
      'To be archived',
    )
    expect(await get('/scorm', as.learner).then((r) => r.text())).not.toContain('To be archived')

    // Every launch refused, with the reason.
    const relaunch = await get(`/scorm/packages/${packageId}`, as.learner)
    expect(relaunch.status).toBe(410)
    expect(await code(relaunch)).toBe('E_SCORM_PACKAGE_ARCHIVED')
    const file = await get(contentPath.replaceAll('&amp;', '&'), as.learner)
    expect(file.status).toBe(410)
    const attempt = await postForm(
      campus.app,
      `/scorm/packages/${packageId}/attempts`,
      {},
      { cookie: as.learner },
    )
    expect(attempt.status).toBe(410)
    const before = await snapshot(campus.database.db)
    const resumed = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'lms-1' })
    expect(resumed.status).toBe(410)
    expect(resumed.headers.get('access-control-allow-origin')).toBe(LMS_ORIGIN)
    expect(await code(resumed)).toBe('E_DISPATCH_PACKAGE_ARCHIVED')
    expect(await snapshot(campus.database.db)).toEqual(before)

    // Registrations and the report stay.
    const registrations = await campus.database.db
      .select()
      .from(scormRegistrations)
      .where(eq(scormRegistrations.packageId, packageId))
    expect(registrations).toHaveLength(2)
    const report = await get(`/admin/scorm/${packageId}?notice=archived`, as.teacher)
    expect(report.status).toBe(200)
    const reportHtml = await report.text()
    expect(reportHtml).toContain('Archived on')
    expect(reportHtml).toContain('lms-1')

    // Archiving again keeps the first date.
    await postForm(campus.app, `/admin/scorm/${packageId}/archive`, {}, { cookie: as.admin })
    const [again] = await campus.database.db
      .select({ archivedAt: scormPackages.archivedAt })
      .from(scormPackages)
      .where(eq(scormPackages.id, packageId))
    expect(again?.archivedAt).toEqual(row?.archivedAt)
  })
})
