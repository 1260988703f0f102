/**
 * Small-cohort suppression on rendered pages and JSON: a school view with one small class hides
 * that class and a second one, so no hidden cell is the total minus the visible ones; the
 * administrators' threshold (a same-origin form, bounds-checked) changes what is hidden; a
 * suppressed cohort shows no chart and no statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postForm, send } from '../../auth/support.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { cookieFor, QUIZ_CLASSES, SCHOOL, SIBLING_SCHOOL, writeCohortFixture } from './fixture.js'

let campus: TestCampus
let admin = ''
let teacher = ''

beforeAll(async () => {
  campus = await startTestCampus()
  const fx = await writeCohortFixture(campus)
  admin = await cookieFor(campus, fx.schoolAdmin, SCHOOL, 'administrator')
  teacher = await cookieFor(campus, fx.teacher, SCHOOL, 'teacher')
}, 180_000)
afterAll(async () => {
  await campus?.close()
})

interface Group {
  key: string
  n: number | null
  suppressed: false | 'small' | 'complementary'
  mean: number | null
}
interface Report {
  state: string
  n: number | null
  minCohortSize: number
  groups: Group[]
  stats: unknown
}

const SCHOOL_QUIZ = `/api/cohorts?scope=school&id=${SCHOOL}&score=quiz`
const TOTAL = Object.values(QUIZ_CLASSES).reduce((sum, c) => sum + c.scores.length, 0)

async function report(path: string): Promise<Report> {
  const res = await send(campus.app, path, {}, { cookie: admin })
  expect(res.status).toBe(200)
  return (await res.json()) as Report
}

async function setThreshold(value: string, cookie = admin, orgId = SCHOOL) {
  return postForm(
    campus.app,
    `/admin/analytics?orgId=${orgId}`,
    { minCohortSize: value },
    { cookie },
  )
}

/** What a reader could learn by subtracting: the hidden total must not single out one cell. */
function expectNoCellRecoverable(body: Report) {
  const hidden = body.groups.filter((g) => g.n === null)
  const visible = body.groups.filter((g) => g.n !== null)
  const visibleSum = visible.reduce((sum, g) => sum + (g.n ?? 0), 0)
  expect(body.n).toBe(TOTAL)
  expect(visibleSum).toBeLessThan(TOTAL)
  // Hidden cells are never a single one: total − visible is a sum of at least two unknowns.
  expect(hidden.length).toBeGreaterThanOrEqual(2)
  for (const g of hidden) expect(g.mean).toBeNull()
}

describe('small-cohort suppression', { timeout: 60_000 }, () => {
  it('hides the small class and a complementary one in the school view', async () => {
    const body = await report(SCHOOL_QUIZ)
    expect(body.minCohortSize).toBe(10)
    const byKey = Object.fromEntries(body.groups.map((g) => [g.key, g]))
    expect(byKey['coh-small']).toMatchObject({ n: null, suppressed: 'small' })
    // The smallest other class (12) goes with it.
    expect(byKey['coh-identical']).toMatchObject({ n: null, suppressed: 'complementary' })
    expect(byKey['coh-normal-a']).toMatchObject({ n: 30, suppressed: false })
    expectNoCellRecoverable(body)

    const html = await (
      await send(campus.app, `/cohorts?scope=school&id=${SCHOOL}&score=quiz`, {}, { cookie: admin })
    ).text()
    expect(html.match(/data-suppressed="(small|complementary)"/g)).toHaveLength(2)
    expect(html).toContain('hidden (fewer than 10)')
    // The small class's own numbers appear nowhere on the page.
    expect(html).not.toContain('Class coh-small</th><td>4<')
  })

  it('shows a small class on its own page with no chart and no statistics', async () => {
    const body = await report('/api/cohorts?scope=class&id=coh-small&score=quiz')
    expect(body).toMatchObject({ state: 'suppressed', n: null, stats: null, groups: [] })
    const html = await (
      await send(campus.app, '/cohorts?scope=class&id=coh-small&score=quiz', {}, { cookie: admin })
    ).text()
    expect(html).toContain('data-state="suppressed"')
    expect(html).not.toContain('<svg')
    expect(html).not.toContain('Median')
  })

  it('follows the organisation threshold an administrator sets', async () => {
    const saved = await setThreshold('13')
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toContain('notice=saved')
    let body = await report(SCHOOL_QUIZ)
    expect(body.minCohortSize).toBe(13)
    const hidden = (b: Report) =>
      Object.fromEntries(b.groups.filter((g) => g.n === null).map((g) => [g.key, g.suppressed]))
    // Both small now, so no complementary cell is needed.
    expect(hidden(body)).toEqual({ 'coh-small': 'small', 'coh-identical': 'small' })
    expectNoCellRecoverable(body)

    expect((await setThreshold('26')).status).toBe(303)
    body = await report(SCHOOL_QUIZ)
    expect(hidden(body)).toEqual({
      'coh-small': 'small',
      'coh-identical': 'small',
      'coh-normal-b': 'small',
    })
    expect((await report('/api/cohorts?scope=class&id=coh-normal-b&score=quiz')).state).toBe(
      'suppressed',
    )
    const page = await (
      await send(campus.app, `/admin/analytics?orgId=${SCHOOL}`, {}, { cookie: admin })
    ).text()
    expect(page).toContain('data-effective="26"')

    // Empty inherits again: the default.
    expect((await setThreshold('')).status).toBe(303)
    body = await report(SCHOOL_QUIZ)
    expect(body.minCohortSize).toBe(10)
    expect(hidden(body)).toEqual({ 'coh-small': 'small', 'coh-identical': 'complementary' })
  })

  it('refuses thresholds out of bounds, cross-site posts, teachers and other organisations', async () => {
    for (const value of ['4', '101', '7.5', 'ten']) {
      const res = await setThreshold(value)
      expect(res.status, value).toBe(400)
      expect(await res.text()).toContain('minCohortSize')
    }
    expect((await report(SCHOOL_QUIZ)).minCohortSize).toBe(10)

    const crossSite = await send(
      campus.app,
      `/admin/analytics?orgId=${SCHOOL}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
        body: 'minCohortSize=5',
      },
      { cookie: admin },
    )
    expect(crossSite.status).toBe(403)
    expect(((await crossSite.json()) as { code: string }).code).toBe('E_CSRF')

    expect((await setThreshold('5', teacher)).status).toBe(403)
    expect((await setThreshold('5', admin, SIBLING_SCHOOL)).status).toBe(404)
    expect((await report(SCHOOL_QUIZ)).minCohortSize).toBe(10)
  })
})
