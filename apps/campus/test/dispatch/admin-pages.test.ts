/**
 * The tenant admin pages: an administrator creates a tenant and a dispatch through the forms
 * (invalid fields come back named, nothing written), another school's administrator gets 404
 * for them, the dashboard renders the cached statistics with SVG charts, and the downloaded
 * dispatch package is a SCORM zip whose manifest launches the launcher, whose key launches the
 * dispatch, and whose title is escaped.
 */
import { eq } from 'drizzle-orm'
import { XMLParser } from 'fast-xml-parser'
import { unzipSync } from 'fflate'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scormDispatches, scormTenants } from '../../src/db/schema.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import { members, SCHOOL_A, SCHOOL_B, signIn } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { commit, dispatchFixture, importFixture, insertPackage, launch, play } from './support.js'

const ORIGIN = 'http://localhost'

describe('tenant admin pages', () => {
  let redis: RedisServer
  let campus: TestCampus
  let rt: DispatchRuntime
  let adminA = ''
  let adminB = ''
  let teacherA = ''

  const get = (path: string, cookie: string) => campus.app.request(path, { headers: { cookie } })
  const postForm = (path: string, cookie: string, form: Record<string, string>) =>
    campus.app.request(path, {
      method: 'POST',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    rt = dispatchRuntimeOf(campus.deps)
    const teachersA = await members(campus, SCHOOL_A, 'teacher')
    const teachersB = await members(campus, SCHOOL_B, 'teacher')
    adminA = (await signIn(campus, teachersA[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
    adminB = (await signIn(campus, teachersB[0]?.id ?? '', SCHOOL_B, 'administrator')).cookie
    teacherA = (await signIn(campus, teachersA[2]?.id ?? '', SCHOOL_A, 'teacher')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('creates a tenant and a dispatch through the forms; bad fields are named, nothing written', async () => {
    const tenantForm = {
      name: 'Northside Moodle',
      kind: 'lms',
      allowedDomains: 'moodle.northside.example\n*.northside.example',
      registrationCap: '25',
      expiresAt: '2099-06-30T12:00',
      enabled: 'on',
    }
    const created = await postForm('/admin/tenants', adminA, tenantForm)
    expect(created.status).toBe(303)
    const location = created.headers.get('location') ?? ''
    const tenantId = /\/admin\/tenants\/([0-9a-f-]{36})/.exec(location)?.[1] ?? ''
    const [row] = await campus.database.db
      .select()
      .from(scormTenants)
      .where(eq(scormTenants.id, tenantId))
    expect(row).toMatchObject({
      orgSourcedId: SCHOOL_A,
      name: 'Northside Moodle',
      registrationCap: 25,
      allowedDomains: ['moodle.northside.example', '*.northside.example'],
      expiresAt: new Date('2099-06-30T12:00:00Z'),
    })

    const tenantsBefore = await campus.database.db.select().from(scormTenants)
    const bad = await postForm('/admin/tenants', adminA, {
      ...tenantForm,
      name: '',
      allowedDomains: 'https://not a host/',
      registrationCap: 'many',
    })
    expect(bad.status).toBe(400)
    const page = await bad.text()
    for (const field of ['name', 'allowedDomains.0', 'registrationCap'])
      expect(page).toContain(field)
    const taken = await postForm('/admin/tenants', adminA, tenantForm)
    expect(taken.status).toBe(409)
    expect(await campus.database.db.select().from(scormTenants)).toEqual(tenantsBefore)

    const packageId = await insertPackage(campus.database.db, SCHOOL_A, 'Ratios & <Rates>')
    const tenantPage = await get(`/admin/tenants/${tenantId}`, adminA)
    expect(tenantPage.status).toBe(200)
    expect(await tenantPage.text()).toContain('Ratios &amp; &lt;Rates&gt;')
    const dispatched = await postForm(`/admin/tenants/${tenantId}/dispatches`, adminA, {
      tenantId,
      packageId,
      registrationCap: '10',
      enabled: 'on',
    })
    expect(dispatched.status).toBe(303)
    const [dispatch] = await campus.database.db
      .select()
      .from(scormDispatches)
      .where(eq(scormDispatches.tenantId, tenantId))
    expect(dispatch).toMatchObject({ packageId, title: 'Ratios & <Rates>', registrationCap: 10 })
    // The cached list shows it at once.
    expect(await (await get(`/admin/tenants/${tenantId}`, adminA)).text()).toContain(
      `data-dispatch-id="${dispatch?.id}"`,
    )

    // Another school's package cannot be dispatched from here.
    const foreign = await insertPackage(campus.database.db, SCHOOL_B, 'Elsewhere')
    const refused = await postForm(`/admin/tenants/${tenantId}/dispatches`, adminA, {
      tenantId,
      packageId: foreign,
    })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('packageId')
  })

  it('keeps tenants to their organisation and administrators', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    expect((await get(`/admin/tenants/${f.tenant.id}`, adminB)).status).toBe(404)
    expect((await get(`/admin/dispatches/${f.dispatch.id}`, adminB)).status).toBe(404)
    expect((await get(`/admin/tenants/${f.tenant.id}/dashboard`, adminB)).status).toBe(404)
    expect(
      (await postForm(`/admin/dispatches/${f.dispatch.id}/package`, adminB, { version: '1.2' }))
        .status,
    ).toBe(404)
    expect((await get(`/admin/tenants/${f.tenant.id}`, teacherA)).status).toBe(403)
    expect(await (await get('/admin/tenants', adminB)).text()).not.toContain(f.tenant.name)
    // A cross-site form post is refused before it reaches the page.
    const csrf = await campus.app.request(`/admin/dispatches/${f.dispatch.id}/revoke-keys`, {
      method: 'POST',
      headers: {
        cookie: adminA,
        origin: 'https://evil.example.com',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    })
    expect(csrf.status).toBe(403)
  })

  it('shows the dashboard from the cache with SVG charts', async () => {
    const packageId = await importFixture(campus.deps.scorm, SCHOOL_A, 'Geometry')
    const f = await dispatchFixture(rt, SCHOOL_A, { packageId })
    for (const [i, outcome] of (['passed', 'failed', 'passed'] as const).entries()) {
      const res = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: `s${i}` })
      const grant = (await res.json()) as { launchUrl: string }
      const committed = await commit(campus.app, await play(campus.app, grant.launchUrl), {
        'cmi.core.lesson_status': outcome,
        'cmi.core.session_time': '0000:10:00',
      })
      expect(committed.status).toBe(200)
    }
    const res = await get(`/admin/tenants/${f.tenant.id}/dashboard`, adminA)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-stat="registrations">3<')
    expect(html).toContain('data-stat="completions">3<')
    expect(html).toContain('data-stat="pass-rate">66.7 %<')
    expect(html).toContain('data-stat="time">30 min<')
    expect(html).toContain('<svg role="img"')
    expect(html).not.toMatch(/<script(?![^>]*src=)/)

    // Warm: the page is served without a dashboard query.
    const before = campus.database.queryCount
    await get(`/admin/tenants/${f.tenant.id}/dashboard`, adminA)
    expect(campus.database.queryCount).toBe(before)
  })

  it('downloads a SCORM package whose launcher launches the dispatch', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A, { title: 'Fractions "&" <b>friends</b>' })
    for (const version of ['1.2', '2004'] as const) {
      const res = await postForm(`/admin/dispatches/${f.dispatch.id}/package`, adminA, { version })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/zip')
      expect(res.headers.get('cache-control')).toBe('no-store')
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
      expect(Object.keys(files).sort()).toEqual([
        'imsmanifest.xml',
        'index.html',
        'launcher.css',
        'launcher.js',
      ])
      const text = (name: string) => new TextDecoder().decode(files[name])
      const manifest = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
        text('imsmanifest.xml'),
      ).manifest
      expect(manifest.metadata.schemaversion).toBe(version === '1.2' ? 1.2 : '2004 4th Edition')
      expect(manifest.organizations.organization.title).toBe('Fractions "&" <b>friends</b>')
      const resource = manifest.resources.resource
      expect(resource.href).toBe('index.html')
      expect(resource[version === '1.2' ? 'adlcp:scormtype' : 'adlcp:scormType']).toBe('sco')
      for (const file of [resource.file].flat()) expect(files[file.href]).toBeDefined()

      const html = text('index.html')
      expect(html).not.toContain('<b>friends</b>')
      expect(html).toContain('<script src="launcher.js"></script>')
      const key = /data-key="([^"]+)"/.exec(html)?.[1] ?? ''
      expect(/data-dispatch="([^"]+)"/.exec(html)?.[1]).toBe(f.dispatch.id)
      expect(/data-campus="([^"]+)"/.exec(html)?.[1]).toBe(ORIGIN)
      // The package's own key launches the dispatch.
      const launched = await launch(campus.app, f.dispatch.id, { key, learnerId: `pkg-${version}` })
      expect(launched.status).toBe(201)
    }

    // Revoking stops every package downloaded so far.
    const revoke = await postForm(`/admin/dispatches/${f.dispatch.id}/revoke-keys`, adminA, {})
    expect(revoke.status).toBe(303)
    const after = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'late' })
    expect(after.status).toBe(401)
  })
})
