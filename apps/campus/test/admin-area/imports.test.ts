/**
 * The admin imports pages: a OneRoster zip uploaded (bytes streamed to disk), the run polled
 * to its end, the course bundle it changed invalidated and warmed again in Redis; a bad zip's
 * problems on the run page; an administrator confined to their organisation and its runs.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import yazl from 'yazl'
import { waitFor } from '../../../../packages/satchel/test/helpers.js'
import { getCourseResourceBundle } from '../../src/content/bundle.js'
import { courses } from '../../src/db/schema.js'
import { exportOneRoster } from '../../src/ingest/oneroster/export.js'
import { removeDir, tempDir, validSet } from '../ingest/oneroster-support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { members, SCHOOL_A, SCHOOL_B, signIn } from './support.js'

const TOKEN = 'imports-test-admin-token-0123456789abcdef'
let redis: RedisServer
let campus: TestCampus
let adminA: string
let adminB: string
const dirs: string[] = []

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  for (const [name, body] of Object.entries(files)) zip.addBuffer(Buffer.from(body), name)
  zip.end()
  const chunks: Buffer[] = []
  const sink = zip.outputStream.pipe(new PassThrough())
  for await (const chunk of sink) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function upload(body: Buffer, auth: { bearer?: string; cookie?: string }, query = '') {
  return campus.app.request(`/api/admin/imports/oneroster${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/zip',
      'x-file-name': 'roster.zip',
      ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie, origin: 'http://localhost' } : {}),
    },
    body,
  })
}

interface RunJson {
  status: string
  problems: string[]
  rowsUpdated: number
  filesDone: number
}

async function finished(runId: string, auth: Record<string, string>): Promise<RunJson> {
  let run: RunJson | undefined
  await waitFor(
    async () => {
      const res = await campus.app.request(`/api/admin/imports/${runId}`, { headers: auth })
      run = (await res.json()) as RunJson
      return run.status !== 'running'
    },
    60_000,
    50,
  )
  if (!run) throw new Error('no run')
  return run
}

beforeAll(async () => {
  redis = await startRedis()
  campus = await startTestCampus({ redisUrl: redis.url, adminToken: TOKEN })
  const teachersA = await members(campus, SCHOOL_A, 'teacher')
  const teachersB = await members(campus, SCHOOL_B, 'teacher')
  adminA = (await signIn(campus, teachersA[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
  adminB = (await signIn(campus, teachersB[0]?.id ?? '', SCHOOL_B, 'administrator')).cookie
})
afterAll(async () => {
  await campus?.close()
  await redis?.stop()
  for (const dir of dirs) await removeDir(dir)
})

describe('admin OneRoster upload', () => {
  it('imports a zip, invalidates the changed course bundle and warms it again', async () => {
    const [course] = await campus.database.db.select().from(courses).limit(1)
    if (!course) throw new Error('no course')
    const locator = { courseId: course.sourcedId, orgId: course.orgSourcedId }
    expect((await getCourseResourceBundle(campus.deps.content, locator))?.course.title).toBe(
      course.title,
    )

    const dir = await tempDir()
    dirs.push(dir)
    await exportOneRoster(campus.database.db, join(dir, 'out'))
    const rows = (await readFile(join(dir, 'out', 'courses.csv'), 'utf8')).split('\n')
    const row = rows.find((r) => r.startsWith(`${course.sourcedId},`)) ?? ''
    const renamed = row.replace(`,${course.title},`, ',Renamed by OneRoster,')
    expect(renamed).not.toBe(row)
    const body = await zipOf({
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.courses,delta\n',
      'courses.csv': `${rows[0]}\n${renamed}\n`,
    })
    const res = await upload(body, { bearer: TOKEN })
    expect(res.status).toBe(202)
    const { runId, location } = (await res.json()) as { runId: string; location: string }
    expect(location).toBe(`/admin/imports/${runId}`)
    const run = await finished(runId, { authorization: `Bearer ${TOKEN}` })
    expect(run).toMatchObject({ status: 'succeeded', rowsUpdated: 1, filesDone: 1, problems: [] })

    // The bundle in Redis is dropped and rebuilt by the warmer with the new title.
    const key = campus.satchel.keys
      .org(locator.orgId)
      .key('oneroster-course-bundle', locator.courseId)
    await waitFor(
      async () => {
        const cached = (await campus.satchel.cache.get(key)) as
          | { course?: { title?: string } }
          | undefined
        return cached?.course?.title === 'Renamed by OneRoster'
      },
      30_000,
      50,
    )
    const [stored] = await campus.database.db
      .select()
      .from(courses)
      .where(eq(courses.sourcedId, course.sourcedId))
    expect(stored?.title).toBe('Renamed by OneRoster')

    const page = await campus.app.request('/admin/imports', {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(await page.text()).toContain(`data-run-id="${runId}"`)
  })

  it('shows every problem of a refused zip on its run page, and an administrator only their own runs', async () => {
    const set = validSet()
    const res = await upload(await zipOf(set), { cookie: adminA })
    expect(res.status).toBe(202)
    const { runId } = (await res.json()) as { runId: string }
    const run = await finished(runId, { cookie: adminA })
    expect(run.status).toBe('failed')
    // Confined to school A: the set's own district and school are outside it.
    expect(run.problems).toContain(
      `orgs.csv:2:sourcedId: organisation "d1" is outside "${SCHOOL_A}" and its schools (--org)`,
    )
    const page = await campus.app.request(`/admin/imports/${runId}`, {
      headers: { cookie: adminA },
    })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('outside &quot;org-school-01&quot;')
    expect(html).toContain('/assets/admin-import.js')
    expect(html).not.toMatch(/<script>/)

    const other = await campus.app.request(`/admin/imports/${runId}`, {
      headers: { cookie: adminB },
    })
    expect(other.status).toBe(404)
    const list = await campus.app.request('/admin/imports', { headers: { cookie: adminB } })
    expect(await list.text()).not.toContain(runId)
  })

  it('refuses another content type (415), a non-zip (400) and a signed-out caller', async () => {
    const form = await campus.app.request('/api/admin/imports/oneroster', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'multipart/form-data; boundary=x',
      },
      body: '--x--',
    })
    expect(form.status).toBe(415)
    expect(form.headers.get('content-type')).toMatch(/problem\+json/)
    const junk = await upload(Buffer.from('not a zip at all'), { bearer: TOKEN })
    expect(junk.status).toBe(400)
    const anonymous = await campus.app.request('/api/admin/imports/oneroster', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: await zipOf(validSet()),
    })
    expect(anonymous.status).toBe(401)
  })

  it('refuses an upload over 64 MiB with 413 while streaming it', async () => {
    const chunk = new Uint8Array(1024 * 1024)
    let sent = 0
    // Generated as it is read, never held whole; no Content-Length, so the bound is counted.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 70) controller.close()
        else {
          sent++
          controller.enqueue(chunk)
        }
      },
    })
    const res = await campus.app.request('/api/admin/imports/oneroster', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/zip' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'E_BODY_TOO_LARGE' })
  })
})
