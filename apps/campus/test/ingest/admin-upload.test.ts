/**
 * The admin area's IXL upload: role and organisation checks, CSRF, the import running in the
 * background with its run polled, and a file of another organisation's learners refused.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../../packages/satchel/test/helpers.js'
import { externalAssessmentScores, users } from '../../src/db/schema.js'
import { IXL_LAYOUTS } from '../../src/ingest/ixl/layouts.js'
import { members, SCHOOL_A, SCHOOL_B, signIn } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { csv } from './roster.js'

const ORIGIN = 'http://localhost'
const LAYOUT = IXL_LAYOUTS.find((l) => l.id === 'diagnostic-results-ela-2024')!

describe('admin IXL upload', { timeout: 120_000 }, () => {
  let campus: TestCampus
  let adminA = ''
  let adminB = ''
  let teacherA = ''

  async function exportOf(orgId: string): Promise<string> {
    const students = await members(campus, orgId, 'student')
    const rows: string[][] = [[...LAYOUT.columns]]
    for (const s of students.slice(0, 3)) {
      const [u] = await campus.database.db.select().from(users).where(eq(users.sourcedId, s.id))
      rows.push(
        LAYOUT.columns.map((c) =>
          c === 'ID'
            ? (u?.identifier ?? '')
            : c === 'Grade'
              ? (u?.grades[0] ?? '')
              : c === 'Overall level'
                ? '640'
                : c === 'Overall tier'
                  ? 'On grade'
                  : '--',
        ),
      )
    }
    return csv(rows)
  }

  const upload = (cookie: string, body: string, origin: string | null = ORIGIN) => {
    const form = new FormData()
    form.set('file', new File([body], 'ixl-ela.csv', { type: 'text/csv' }))
    return campus.app.request('/admin/ixl-import', {
      method: 'POST',
      headers: { cookie, ...(origin === null ? {} : { origin }) },
      body: form,
    })
  }
  const get = (path: string, cookie: string) => campus.app.request(path, { headers: { cookie } })

  async function finished(location: string, cookie: string) {
    let run:
      | { status: string; rowsRead: number; rowsInserted: number; problemCount: number }
      | undefined
    await waitFor(
      async () => {
        const res = await get(`${location}/progress`, cookie)
        run = (await res.json()) as typeof run
        return run?.status !== 'running'
      },
      60_000,
      50,
    )
    return run!
  }

  beforeAll(async () => {
    campus = await startTestCampus()
    // The seed's generated IXL scores go: these tests count exactly the rows an upload writes.
    await campus.database.db.delete(externalAssessmentScores)
    const teachersA = await members(campus, SCHOOL_A, 'teacher')
    const teachersB = await members(campus, SCHOOL_B, 'teacher')
    adminA = (await signIn(campus, teachersA[1]?.id ?? '', SCHOOL_A, 'administrator')).cookie
    adminB = (await signIn(campus, teachersB[0]?.id ?? '', SCHOOL_B, 'administrator')).cookie
    teacherA = (await signIn(campus, teachersA[2]?.id ?? '', SCHOOL_A, 'teacher')).cookie
  })
  afterAll(async () => {
    await campus?.close()
  })

  it('imports an upload into the administrator’s organisation, with progress to poll', async () => {
    const page = await get('/admin/ixl-import', adminA)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('enctype="multipart/form-data"')
    const res = await upload(adminA, await exportOf(SCHOOL_A))
    expect(res.status).toBe(303)
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^\/admin\/ixl-import\/runs\/[0-9a-f-]{36}$/)
    const run = await finished(location, adminA)
    expect(run).toMatchObject({
      status: 'succeeded',
      rowsRead: 3,
      rowsInserted: 3,
      problemCount: 0,
    })
    const rows = await campus.database.db.select().from(externalAssessmentScores)
    expect(rows.map((r) => [r.orgSourcedId, r.subject, r.level, r.tier])).toEqual([
      [SCHOOL_A, 'ela', 640, 'on'],
      [SCHOOL_A, 'ela', 640, 'on'],
      [SCHOOL_A, 'ela', 640, 'on'],
    ])
    const runPage = await get(location, adminA)
    const html = await runPage.text()
    expect(html).toContain('data-import-run=')
    expect(html).toContain('src="/assets/admin-ixl-import.js"')
    expect((await campus.app.request('/assets/admin-ixl-import.js')).status).toBe(200)

    // Another school's administrator cannot see the run; a teacher cannot upload.
    expect((await get(location, adminB)).status).toBe(404)
    expect((await get(`${location}/progress`, adminB)).status).toBe(404)
    expect((await upload(teacherA, await exportOf(SCHOOL_A))).status).toBe(403)
    expect((await get(`/admin/ixl-import?orgId=${SCHOOL_A}`, adminB)).status).toBe(404)
  })

  it('streams an export larger than the global body limit to disk and reads every row', async () => {
    const [header, ...data] = (await exportOf(SCHOOL_A)).trimEnd().split(/\r?\n/)
    // Well past HTTP_BODY_LIMIT (1 MiB): repeated rows, refused as duplicates after reading.
    const copies = Math.ceil((1.5 * 1024 * 1024) / (data[0]?.length ?? 1))
    const body = `${[header, ...data, ...Array<string>(copies).fill(data[0] ?? '')].join('\n')}\n`
    expect(body.length).toBeGreaterThan(1024 * 1024)
    await campus.database.db.delete(externalAssessmentScores)
    const res = await upload(adminA, body)
    expect(res.status).toBe(303)
    const run = await finished(res.headers.get('location') ?? '', adminA)
    expect(run).toMatchObject({ status: 'failed', rowsRead: data.length + copies, rowsInserted: 0 })
    expect(await campus.database.db.select().from(externalAssessmentScores)).toEqual([])
  })

  it('answers a form without a file with the form and a notice', async () => {
    const form = new FormData()
    form.set('period', '2026')
    const res = await campus.app.request('/admin/ixl-import', {
      method: 'POST',
      headers: { cookie: adminA, origin: ORIGIN },
      body: form,
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Choose a CSV file to import.')
  })

  it('refuses a cross-site post, and writes nothing from another organisation’s export', async () => {
    expect((await upload(adminA, await exportOf(SCHOOL_A), 'https://evil.example')).status).toBe(
      403,
    )
    await campus.database.db.delete(externalAssessmentScores)
    const res = await upload(adminA, await exportOf(SCHOOL_B))
    expect(res.status).toBe(303)
    const location = res.headers.get('location') ?? ''
    const run = await finished(location, adminA)
    expect(run).toMatchObject({ status: 'failed', rowsInserted: 0 })
    expect(await campus.database.db.select().from(externalAssessmentScores)).toEqual([])
    const html = await (await get(location, adminA)).text()
    expect(html).toContain(
      `none of the 3 rows matched a learner of ${SCHOOL_A}; nothing was written`,
    )
    expect(html).toMatch(/ixl-ela\.csv:2:ID: unmatched: no learner of org-school-01 has student ID/)
  })
})
