/**
 * Class and grade reports on a real database and a real redis-server: the numbers per learner
 * and dimension, access (401/403/404), bad dimensions (400 naming the field), CSV, the cache
 * (a hit does not read PostgreSQL) and its invalidation by a graded attempt submitted through
 * the practice API and by an IXL import.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceDataChange } from '../../../src/analytics/changes.js'
import { neutraliseFormula } from '../../../src/analytics/reports/csv.js'
import { toddleAttendance } from '../../../src/db/schema.js'
import { importIxlFile } from '../../../src/ingest/ixl/import.js'
import { IXL_LAYOUTS } from '../../../src/ingest/ixl/layouts.js'
import { SMALL_FIXTURES as F } from '../../../src/seed/generate.js'
import { answers, body, servedForm, submitJson } from '../../practice/support.js'
import type { TestCampus } from '../../support/campus.js'
import {
  FALL,
  type FixtureCampus,
  FX,
  get,
  SCHOOL_A,
  SPRING,
  startFixtureCampus,
  YEAR,
} from './fixture.js'

interface Learner {
  id: string
  name: string
  attempts: number
  meanScore: number | null
  ixl: { subject: string; first: number; latest: number; growth: number }[]
  termGrades: { period: string; grade: string | null }[]
  attendance: {
    present: number
    absent: number
    late: number
    excused: number
    total: number
    rate: number | null
  }
}
interface ClassReportJson {
  class: { id: string }
  totals: { learners: number; attempts: number }
  learners: Learner[]
}
interface GradeReportJson {
  grade: string
  totals: { attempts: number } | null
  classes: { id: string; learners: number; suppressed: string | false; summary: object | null }[]
}

let started: FixtureCampus | undefined
let campus: TestCampus
let admin = ''
let teacher = ''
let student = ''

beforeAll(async () => {
  started = await startFixtureCampus()
  ;({ campus, admin, teacher, student } = started)
}, 180_000)
afterAll(async () => {
  await started?.close()
})

async function json<T>(path: string, cookie: string): Promise<T> {
  const res = await get(campus, path, cookie)
  expect(res.status, await res.clone().text()).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  return (await res.json()) as T
}

async function problem(path: string, cookie: string | undefined, status: number) {
  const res = await get(campus, path, cookie)
  expect(res.status, await res.clone().text()).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json()) as { code: string; errors?: { field: string }[] }
}

const jose = (r: ClassReportJson) => r.learners.find((l) => l.id === FX.jose)
const classPath = (query = '') => `/api/reports/classes/${FX.classA}${query}`

function announce(change: Parameters<typeof announceDataChange>[1]) {
  return announceDataChange(
    { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
    change,
  )
}

describe('class report', { timeout: 60_000 }, () => {
  it('gives roster, IXL growth, term grades and attendance per dimension', async () => {
    const all = await json<ClassReportJson>(classPath(), teacher)
    expect(all.totals.learners).toBe(12)
    expect(jose(all)?.ixl).toEqual([
      expect.objectContaining({ subject: 'math', first: 500, latest: 560, growth: 60 }),
    ])
    expect(jose(all)?.attendance).toEqual({
      present: 1,
      absent: 2,
      late: 1,
      excused: 1,
      total: 5,
      rate: 0.4,
    })
    expect(jose(all)?.termGrades).toEqual([
      expect.objectContaining({ period: 'Fall 2026', grade: 'B+' }),
    ])

    const fall = await json<ClassReportJson>(classPath(`?term=${FALL}`), teacher)
    expect(jose(fall)?.ixl).toEqual([
      expect.objectContaining({ first: 500, latest: 500, growth: 0 }),
    ])
    expect(jose(fall)?.attendance).toMatchObject({ absent: 1, total: 4, rate: 0.5 })
    const spring = await json<ClassReportJson>(classPath(`?term=${SPRING}&year=${YEAR}`), teacher)
    expect(jose(spring)?.termGrades).toEqual([])
    expect(jose(spring)?.attendance).toMatchObject({ absent: 1, total: 1, rate: 0 })
    const year = await json<ClassReportJson>(classPath(`?year=${YEAR}`), admin)
    expect(jose(year)?.ixl[0]?.growth).toBe(60)
  })

  it('refuses bad dimensions naming the field', async () => {
    const fields = async (query: string) =>
      ((await problem(classPath(query), teacher, 400)).errors ?? []).map((e) => e.field)
    expect(await fields('?term=as-nope')).toEqual(['term'])
    expect(await fields(`?term=${YEAR}`)).toEqual(['term'])
    expect(await fields(`?year=${FALL}`)).toEqual(['year'])
    expect(await fields('?year=as-nope')).toEqual(['year'])
    expect(await fields('?format=xml')).toEqual(['format'])
  })

  it('applies the access rules', async () => {
    expect((await problem(classPath(), undefined, 401)).code).toBe('E_UNAUTHENTICATED')
    expect((await problem(classPath(), student, 403)).code).toBe('E_FORBIDDEN')
    const other = `/api/reports/classes/${FX.classSmall}`
    expect((await problem(other, teacher, 403)).code).toBe('E_FORBIDDEN')
    expect((await json<ClassReportJson>(other, admin)).totals.learners).toBe(3)
    // Another organisation's class, and no class at all: the same 404.
    expect((await problem(`/api/reports/classes/${FX.classOther}`, admin, 404)).code).toBe(
      'E_NOT_FOUND',
    )
    expect((await problem(`/api/reports/classes/${FX.classOther}`, teacher, 404)).code).toBe(
      'E_NOT_FOUND',
    )
    expect((await problem('/api/reports/classes/cls-none', admin, 404)).code).toBe('E_NOT_FOUND')
    const page = await get(campus, `/reports/classes/${FX.classA}`)
    expect(page.status).toBe(303)
    expect((await get(campus, `/reports/classes/${FX.classSmall}`, teacher)).status).toBe(403)
    expect((await get(campus, `/reports/classes/${FX.classOther}`, teacher)).status).toBe(404)
  })

  it('downloads CSV with neutralised formula cells', async () => {
    const res = await get(campus, `/reports/classes/${FX.classA}?format=csv&term=${FALL}`, teacher)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="class-${FX.classA}-${FALL}.csv"`,
    )
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(12)
    const row = rows.find((r) => r.learner_id === FX.jose)
    expect(row).toMatchObject({
      name: 'José García',
      present: '1',
      absent: '1',
      ixl_math_growth: '0',
    })
    expect(rows.find((r) => r.learner_id === FX.formula)?.name).toBe(`'=HYPERLINK("x") @Risk`)
    for (const prefix of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutraliseFormula(`${prefix}1+2`)).toBe(`'${prefix}1+2`)
    }
    expect(neutraliseFormula('plain - text')).toBe('plain - text')
    const api = await get(campus, `/api/reports/classes/${FX.classA}?format=csv`, teacher)
    expect(api.headers.get('content-disposition')).toBe(
      `attachment; filename="class-${FX.classA}.csv"`,
    )
  })

  it('serves the page with the dimension form and a CSV link', async () => {
    const res = await get(campus, `/reports/classes/${FX.classA}?term=${FALL}`, teacher)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('José García')
    expect(html).toContain(`href="/reports/classes/${FX.classA}?format=csv&amp;term=${FALL}"`)
    expect(html).toContain(`<option value="${FALL}" selected="">`)
  })
})

describe('grade report', { timeout: 60_000 }, () => {
  it('aggregates per class with small-n suppression, for administrators only', async () => {
    const report = await json<GradeReportJson>('/api/reports/grades/05', admin)
    const small = report.classes.find((c) => c.id === FX.classSmall)
    expect(small).toMatchObject({ learners: 3, suppressed: 'small', summary: null })
    // Never exactly one hidden cell: the total would give it away.
    expect(report.classes.filter((c) => c.suppressed !== false).length).not.toBe(1)
    for (const c of report.classes) {
      expect(c.summary === null).toBe(c.suppressed !== false)
      if (c.learners > 0 && c.learners < 10) expect(c.suppressed).toBe('small')
    }
    expect(report.classes.map((c) => c.id)).not.toContain(FX.classOther)
    expect((await problem('/api/reports/grades/05', teacher, 403)).code).toBe('E_FORBIDDEN')
    expect((await problem('/api/reports/grades/05', student, 403)).code).toBe('E_FORBIDDEN')
    const bad = await problem('/api/reports/grades/XX', admin, 400)
    expect(bad.errors?.map((e) => e.field)).toEqual(['grade'])
    const csv = await get(campus, '/api/reports/grades/05?format=csv', admin)
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="grade-05.csv"')
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[]
    expect(rows.find((r) => r.class_id === FX.classSmall)).toMatchObject({
      learners: '3',
      suppressed: 'small',
      mean_score: '',
    })
    expect((await get(campus, '/reports/grades/05', admin)).status).toBe(200)
  })
})

describe('report cache', { timeout: 120_000 }, () => {
  it('answers a second call from the cache, and a graded attempt drops it', async () => {
    const first = await json<ClassReportJson>(classPath(), teacher)
    const gradeBefore = await json<GradeReportJson>('/api/reports/grades/05', admin)
    expect(jose(first)?.attempts).toBe(0)
    // A mark written behind the cache's back stays unseen…
    await campus.database.db.insert(toddleAttendance).values({
      orgSourcedId: SCHOOL_A,
      userSourcedId: FX.jose,
      date: '2026-10-01',
      courseRef: 'T-ALG',
      classSourcedId: FX.classA,
      status: 'present',
      importRunId: (await campus.database.db.query.importRuns.findFirst())?.id ?? '',
    })
    const before = campus.database.queryCount
    const cached = await json<ClassReportJson>(classPath(), teacher)
    const hitQueries = campus.database.queryCount - before
    expect(jose(cached)?.attendance.total).toBe(5)
    // …and the hit read no report rows: a dimension set not asked for yet (a miss) costs the
    // five report queries more, plus the checks of its sessions.
    const missBefore = campus.database.queryCount
    await json<ClassReportJson>(classPath(`?term=${FALL}&year=${YEAR}`), teacher)
    expect(campus.database.queryCount - missBefore).toBeGreaterThanOrEqual(hitQueries + 5)

    // José submits a quiz through the practice API.
    const as = { cookie: student }
    const form = await servedForm(campus, F.quiz.path, as)
    const res = await submitJson(campus, body(form, await answers(campus, form.itemIds)), as)
    expect(res.status).toBe(201)
    const after = await json<ClassReportJson>(classPath(), teacher)
    expect(jose(after)?.attempts).toBe(1)
    expect(jose(after)?.meanScore).toBe(100)
    expect(jose(after)?.attendance.total).toBe(6)
    const gradeAfter = await json<GradeReportJson>('/api/reports/grades/05', admin)
    expect(gradeAfter.totals?.attempts).toBe((gradeBefore.totals?.attempts ?? 0) + 1)
  })

  it('an IXL import drops the organisation’s reports', async () => {
    const before = await json<ClassReportJson>(classPath(), teacher)
    expect(jose(before)?.ixl[0]?.latest).toBe(560)
    const layout = IXL_LAYOUTS.find((l) => l.id === 'diagnostic-levels-percentile-tier-math-2024')
    if (!layout) throw new Error('no layout')
    const cells: Record<string, string> = {
      ID: FX.jose,
      'First name': 'José',
      'Last name': 'García',
      Grade: '5',
      'Overall level': '610',
    }
    const path = join(mkdtempSync(join(tmpdir(), 'campus-report-ixl-')), 'ixl.csv')
    writeFileSync(
      path,
      `${[layout.columns, layout.columns.map((c) => cells[c] ?? '--')].map((r) => r.map((c) => `"${c}"`).join(',')).join('\n')}\n`,
    )
    const result = await importIxlFile({
      db: campus.database.db,
      liveRunProgress: campus.database.kind === 'pg',
      orgSourcedId: SCHOOL_A,
      path,
      via: 'cli',
      period: 'Spring 2027',
    })
    expect(result.status).toBe('succeeded')
    expect(jose(await json<ClassReportJson>(classPath(), teacher))?.ixl[0]?.latest).toBe(560)
    expect(
      await announce({ kind: 'import', source: 'ixl-csv', orgIds: [SCHOOL_A], userIds: [] }),
    ).toEqual([])
    const after = await json<ClassReportJson>(classPath(), teacher)
    expect(jose(after)?.ixl[0]).toMatchObject({ first: 500, latest: 610, growth: 110 })
  })
})
