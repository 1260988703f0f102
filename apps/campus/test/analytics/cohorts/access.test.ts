/**
 * Who may see which cohort, and what bad input answers: teachers their own classes only,
 * administrators every class, grade and school of their subtree, students nothing; another
 * organisation's ids are 404; parameters outside their enumerations or caps are 400 naming the
 * field; empty, tiny, flat and partly blank cohorts render a clear state, never a chart.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import {
  type CohortFixture,
  cookieFor,
  DISTRICT,
  OTHER_CLASS,
  OTHER_DISTRICT,
  OTHER_SCHOOL,
  SCHOOL,
  SIBLING_CLASS,
  SIBLING_SCHOOL,
  TODDLE_CLASS,
  TODDLE_NUMERIC,
  writeCohortFixture,
} from './fixture.js'

let campus: TestCampus
let fx: CohortFixture
const cookies: Record<'teacher' | 'student' | 'admin' | 'sibling' | 'other', string> = {
  teacher: '',
  student: '',
  admin: '',
  sibling: '',
  other: '',
}

beforeAll(async () => {
  campus = await startTestCampus()
  fx = await writeCohortFixture(campus)
  cookies.teacher = await cookieFor(campus, fx.teacher, SCHOOL, 'teacher')
  cookies.student = await cookieFor(campus, fx.student, SCHOOL, 'student')
  cookies.admin = await cookieFor(campus, fx.schoolAdmin, SCHOOL, 'administrator')
  cookies.sibling = await cookieFor(campus, fx.siblingAdmin, SIBLING_SCHOOL, 'administrator')
  cookies.other = await cookieFor(campus, fx.otherAdmin, OTHER_SCHOOL, 'administrator')
}, 180_000)
afterAll(async () => {
  await campus?.close()
})

function get(path: string, who?: keyof typeof cookies) {
  return campus.app.request(path, { headers: who ? { cookie: cookies[who] } : {} })
}

const classQuiz = (id: string) => `scope=class&id=${encodeURIComponent(id)}&score=quiz`

describe('cohort access', { timeout: 60_000 }, () => {
  it('sends the signed-out to sign in (page) or answers 401 (API), never cached', async () => {
    const page = await get(`/cohorts?${classQuiz('coh-normal-a')}`)
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toMatch(/^\/login\?next=%2Fcohorts/)
    const api = await get(`/api/cohorts?${classQuiz('coh-normal-a')}`)
    expect(api.status).toBe(401)
    expect(api.headers.get('content-type')).toContain('application/problem+json')
    expect(api.headers.get('cache-control')).toBe('no-store')
  })

  it('refuses students with 403, whatever they ask for', async () => {
    for (const path of [
      `/api/cohorts?${classQuiz('coh-normal-a')}`,
      `/api/cohorts?scope=school&id=${SCHOOL}&score=quiz`,
      '/api/cohorts?scope=nope',
      '/api/cohorts/compare?a=class:coh-normal-a&b=class:coh-normal-b&score=quiz',
    ]) {
      const res = await get(path, 'student')
      expect(res.status, path).toBe(403)
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
    expect((await get(`/cohorts?${classQuiz('coh-normal-a')}`, 'student')).status).toBe(403)
  })

  it('lets a teacher see the class they teach, and no other class, grade or school', async () => {
    const own = await get(`/api/cohorts?${classQuiz('coh-normal-a')}`, 'teacher')
    expect(own.status).toBe(200)
    expect(((await own.json()) as { n: number }).n).toBe(30)
    expect((await get(`/api/cohorts?${classQuiz('coh-normal-b')}`, 'teacher')).status).toBe(403)
    expect((await get('/api/cohorts?scope=grade&id=07&score=quiz', 'teacher')).status).toBe(403)
    expect((await get(`/api/cohorts?scope=school&id=${SCHOOL}&score=quiz`, 'teacher')).status).toBe(
      403,
    )
    const compare = await get(
      '/api/cohorts/compare?a=class:coh-normal-a&b=class:coh-normal-b&score=quiz',
      'teacher',
    )
    expect(compare.status).toBe(403)
    // A class of another school is not found for the teacher either (not 403: no existence leak).
    expect((await get(`/api/cohorts?${classQuiz(OTHER_CLASS)}`, 'teacher')).status).toBe(404)
  })

  it('lets an administrator see classes, grades and the school of their subtree', async () => {
    for (const path of [
      `/api/cohorts?${classQuiz('coh-normal-b')}`,
      '/api/cohorts?scope=grade&id=07&score=quiz',
      `/api/cohorts?scope=school&id=${SCHOOL}&score=quiz`,
      '/api/cohorts?scope=grade&id=07&score=ixl&subject=math&period=Fall%202026',
      `/api/cohorts?scope=class&id=${TODDLE_CLASS}&score=toddle&period=T1`,
    ]) {
      expect((await get(path, 'admin')).status, path).toBe(200)
    }
    const page = await get('/cohorts?scope=grade&id=07&score=quiz', 'admin')
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toContain('Grade 07')
  })

  it('answers 404 for other organisations’ ids and unknown ids, for every scope', async () => {
    for (const [who, path] of [
      ['sibling', `/api/cohorts?${classQuiz('coh-normal-a')}`],
      ['sibling', `/api/cohorts?scope=school&id=${SCHOOL}&score=quiz`],
      ['other', `/api/cohorts?${classQuiz('coh-normal-a')}`],
      ['other', '/api/cohorts?scope=grade&id=07&score=quiz'],
      ['admin', `/api/cohorts?${classQuiz(SIBLING_CLASS)}`],
      ['admin', `/api/cohorts?${classQuiz(OTHER_CLASS)}`],
      ['admin', `/api/cohorts?scope=school&id=${OTHER_SCHOOL}&score=quiz`],
      ['admin', `/api/cohorts?scope=school&id=${DISTRICT}&score=quiz`],
      ['admin', `/api/cohorts?scope=school&id=${OTHER_DISTRICT}&score=quiz`],
      ['admin', '/api/cohorts?scope=class&id=no-such-class&score=quiz'],
      ['admin', '/api/cohorts?scope=grade&id=ZZ&score=quiz'],
      ['admin', `/api/cohorts?${classQuiz('coh-normal-a')}&course=no-such-course`],
      ['admin', '/api/cohorts?scope=grade&id=07&score=ixl&period=Spring%201999'],
      ['admin', `/api/cohorts/compare?a=class:coh-normal-a&b=class:${OTHER_CLASS}&score=quiz`],
    ] as const) {
      const res = await get(path, who)
      expect(res.status, `${who} ${path}`).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    expect((await get(`/cohorts?${classQuiz(OTHER_CLASS)}`, 'admin')).status).toBe(404)
  })
})

describe('cohort index', { timeout: 60_000 }, () => {
  it('lists a teacher’s own classes only, and an administrator’s schools, grades and classes', async () => {
    const teacherPage = await (await get('/cohorts', 'teacher')).text()
    expect(teacherPage).toContain('/cohorts?scope=class&amp;id=coh-normal-a&amp;score=quiz')
    expect(teacherPage).not.toContain('id=coh-normal-b')
    expect(teacherPage).not.toContain('scope=school')
    expect(teacherPage).not.toContain('scope=grade')
    const adminPage = await (await get('/cohorts', 'admin')).text()
    for (const link of [
      `scope=school&amp;id=${SCHOOL}`,
      'scope=grade&amp;id=07',
      'scope=class&amp;id=coh-small',
    ]) {
      expect(adminPage).toContain(link)
    }
    expect(adminPage).not.toContain(SIBLING_CLASS)
    expect(adminPage).not.toContain(OTHER_CLASS)
    expect((await get('/cohorts', 'student')).status).toBe(403)
  })
})

describe('bad input', { timeout: 60_000 }, () => {
  const cases: [string, string][] = [
    ['/api/cohorts?scope=district&id=x&score=quiz', 'scope'],
    ['/api/cohorts?scope=class&score=quiz', 'id'],
    ['/api/cohorts?scope=class&id=coh-normal-a&score=grades', 'score'],
    ['/api/cohorts?scope=class&id=coh-normal-a', 'score'],
    [`/api/cohorts?scope=class&id=${'x'.repeat(129)}&score=quiz`, 'id'],
    ['/api/cohorts?scope=class&id=a%20b&score=quiz', 'id'],
    ['/api/cohorts?scope=grade&id=%3Cb%3E&score=quiz', 'id'],
    ['/api/cohorts?scope=class&id=coh-normal-a&score=quiz&pick=worst', 'pick'],
    ['/api/cohorts?scope=grade&id=07&score=ixl&subject=art', 'subject'],
    ['/api/cohorts?scope=grade&id=07&score=quiz&subject=math', 'subject'],
    ['/api/cohorts?scope=grade&id=07&score=quiz&period=T1', 'period'],
    ['/api/cohorts?scope=grade&id=07&score=ixl&course=c', 'course'],
    ['/api/cohorts?scope=grade&id=07&score=ixl&by=class', 'by'],
    ['/api/cohorts?scope=grade&id=07&score=quiz&by=grade', 'by'],
    ['/api/cohorts?scope=grade&id=07&score=quiz&by=everything', 'by'],
    [`/api/cohorts?scope=grade&id=07&score=toddle&period=${'p'.repeat(65)}`, 'period'],
    ['/api/cohorts/compare?a=coh-normal-a&b=class:coh-normal-b&score=quiz', 'a'],
    ['/api/cohorts/compare?a=class:coh-normal-a&b=room:1&score=quiz', 'b'],
    ['/api/cohorts/compare?a=class:coh-normal-a&score=quiz', 'b'],
  ]
  it.each(cases)('%s → 400 naming %s', async (path, field) => {
    const res = await get(path, 'admin')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = (await res.json()) as { code: string; errors: { field: string }[] }
    expect(body.code).toBe('E_VALIDATION')
    expect(body.errors.map((e) => e.field)).toContain(field)
  })

  it('answers the page with a 400 naming the field too, escaping what was sent', async () => {
    const res = await get('/cohorts?scope=class&id=coh-normal-a&score=%3Cscript%3E', 'admin')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('data-field="score"')
    expect(html).not.toContain('<script>')
  })

  it('treats empty form fields as absent (the GET form sends every field)', async () => {
    const res = await get(
      '/api/cohorts?scope=class&id=coh-normal-a&score=quiz&pick=&course=&subject=&period=&by=',
      'admin',
    )
    expect(res.status).toBe(200)
  })
})

describe('not enough data', { timeout: 60_000 }, () => {
  it('renders an identical-score cohort as "not enough data", with no chart', async () => {
    const api = (await (
      await get(`/api/cohorts?${classQuiz('coh-identical')}`, 'admin')
    ).json()) as { state: string; n: number; stats: unknown }
    expect(api).toMatchObject({ state: 'identical', n: 12, stats: null })
    const html = await (await get(`/cohorts?${classQuiz('coh-identical')}`, 'admin')).text()
    expect(html).toContain('Not enough data to chart: all 12 scores are 75')
    expect(html).not.toContain('<svg')
    expect(html).not.toMatch(/NaN|Infinity/)
  })

  it('leaves blank and NaN scores out and says how many', async () => {
    const res = await get(`/api/cohorts?scope=class&id=${TODDLE_CLASS}&score=toddle`, 'admin')
    const body = (await res.json()) as {
      state: string
      n: number
      missing: number
      stats: { summary: { n: number; mean: number } }
    }
    expect(body.n).toBe(TODDLE_NUMERIC.length)
    expect(body.missing).toBe(5)
    expect(body.stats.summary.n).toBe(12)
    const mean = TODDLE_NUMERIC.reduce((a, b) => a + b, 0) / TODDLE_NUMERIC.length
    expect(body.stats.summary.mean).toBeCloseTo(mean, 9)
    const html = await (
      await get(`/cohorts?scope=class&id=${TODDLE_CLASS}&score=toddle`, 'admin')
    ).text()
    expect(html).toContain('5 learners have no numeric score')
    expect(html).not.toMatch(/NaN|Infinity/)
  })

  it('renders a cohort without scores as "not enough data"', async () => {
    // The sibling-school class exists but has no attempts: the district operator sees it.
    // District administrators are campus-wide operators; any will do.
    const result = await campus.database.db.execute(sql`select u.sourced_id as id from users u
      join user_roles r on r.user_sourced_id = u.sourced_id
      where r.org_sourced_id = ${DISTRICT} and r.role = 'administrator' limit 1`)
    const [admin] = (result as unknown as { rows: { id: string }[] }).rows
    if (!admin) throw new Error('the seed has no district administrator')
    const cookie = await cookieFor(campus, admin.id, DISTRICT, 'administrator')
    const res = await campus.app.request(`/cohorts?${classQuiz(SIBLING_CLASS)}`, {
      headers: { cookie },
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-state="no-data"')
    expect(html).toContain('Not enough data')
    expect(html).not.toContain('<svg')
  })
})
