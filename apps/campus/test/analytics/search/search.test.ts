/**
 * `GET /api/search` and `/search` on a real PostgreSQL (or PGlite) and a real redis-server:
 * normalisation, bounds, access rules, the cache (a hit does not query; an import drops it) and
 * the header's search box.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceDataChange } from '../../../src/analytics/changes.js'
import { enrollments, userRoles, users } from '../../../src/db/schema.js'
import type { TestCampus } from '../../support/campus.js'
import {
  cookieFor,
  type FixtureCampus,
  FX,
  get,
  SCHOOL_A,
  SCHOOL_B,
  startFixtureCampus,
} from '../reports/fixture.js'

interface SearchJson {
  type: string
  q: string
  limit: number
  results: { type: string; id: string; label: string; href: string | null }[]
}
interface ProblemJson {
  status: number
  code: string
  errors?: { field: string }[]
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

async function search(query: string, cookie: string): Promise<SearchJson> {
  const res = await get(campus, `/api/search?${query}`, cookie)
  expect(res.status, await res.clone().text()).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  return (await res.json()) as SearchJson
}

async function problem(query: string, cookie: string | undefined, status: number) {
  const res = await get(campus, `/api/search?${query}`, cookie)
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json()) as ProblemJson
}

const ids = (r: SearchJson) => r.results.map((h) => h.id)

describe('search', { timeout: 60_000 }, () => {
  it('normalises case, spaces and accents both ways', async () => {
    const padded = await search(`type=students&q=${encodeURIComponent('  José ')}`, admin)
    expect(padded.q).toBe('jose')
    expect(ids(padded)).toContain(FX.jose)
    expect(ids(await search('type=students&q=GARCIA', admin))).toEqual([FX.jose])
    expect(
      ids(await search(`type=students&q=${encodeURIComponent('garcía  jos')}`, admin)),
    ).toEqual([FX.jose])
    // Decomposed input (e + combining acute) is the same query.
    expect((await search(`type=students&q=${encodeURIComponent('Jose\u0301')}`, admin)).q).toBe(
      'jose',
    )
    // The index folds the title's accent: "Élan" is found by "elan".
    expect(ids(await search('type=classes&q=elan', admin))).toEqual([FX.classA])
  })

  it('stays inside the session organisation', async () => {
    // The school-02 learner named Jose is not a result for school 01.
    expect(ids(await search('type=students&q=jose', admin))).not.toContain(FX.otherSchoolJose)
    expect(ids(await search('type=classes&q=fixture', admin))).not.toContain(FX.classOther)
    const other = await cookieFor(campus, FX.admin, SCHOOL_B, 'administrator')
    expect(ids(await search('type=students&q=jose', other))).toEqual([FX.otherSchoolJose])
  })

  it('refuses bad input naming the field', async () => {
    const field = async (query: string) =>
      ((await problem(query, admin, 400)).errors ?? []).map((e) => e.field)
    expect(await field('type=students&q=jose&limit=51')).toEqual(['limit'])
    expect(await field('type=students&q=jose&limit=0')).toEqual(['limit'])
    expect(await field('type=students&q=jose&limit=ten')).toEqual(['limit'])
    expect(await field('type=people&q=jose')).toEqual(['type'])
    expect(await field('type=students&q=')).toEqual(['q'])
    expect(await field(`type=students&q=${encodeURIComponent(' ,;! ')}`)).toEqual(['q'])
    expect(await field(`type=students&q=${'a'.repeat(101)}`)).toEqual(['q'])
    expect(await field('type=students')).toEqual(['q'])
    expect((await search('type=students&q=fixture&limit=50', admin)).limit).toBe(50)
    expect((await search('type=students&q=fixture', admin)).limit).toBe(10)
    expect((await search('type=students&q=fixture', admin)).results).toHaveLength(10)
    expect((await search('type=students&q=fixture&limit=3', admin)).results).toHaveLength(3)
  })

  it('applies the access rules', async () => {
    expect((await problem('type=students&q=jose', undefined, 401)).code).toBe('E_UNAUTHENTICATED')
    expect((await problem('type=students&q=jose', student, 403)).code).toBe('E_FORBIDDEN')
    expect((await problem('type=classes&q=fixture', student, 403)).code).toBe('E_FORBIDDEN')
    expect((await search('type=courses&q=a', student)).type).toBe('courses')
    // A teacher finds the learners of their class, not those of another teacher's class.
    expect(ids(await search('type=students&q=jose', teacher))).toEqual([FX.jose])
    expect(ids(await search('type=students&q=small0', teacher))).toEqual([])
    expect(ids(await search('type=students&q=small0', admin))).toEqual(['usr-fx-s0'])
    expect(ids(await search('type=classes&q=fixture', teacher))).toEqual([FX.classA])
    expect(ids(await search('type=classes&q=fixture', admin))).toEqual([FX.classA, FX.classSmall])
  })

  it('answers a repeated search from the cache until an import announces a change', async () => {
    const first = await search('type=students&q=zed', admin)
    expect(first.results).toEqual([])
    // A new learner written behind the cache's back: the cached answer stands…
    await campus.database.db
      .insert(users)
      .values({ sourcedId: 'usr-fx-zed', username: 'zed', givenName: 'Zed', familyName: 'Zébra' })
    await campus.database.db.insert(userRoles).values({
      sourcedId: 'role-usr-fx-zed',
      userSourcedId: 'usr-fx-zed',
      roleType: 'primary',
      role: 'student',
      orgSourcedId: SCHOOL_A,
    })
    const before = campus.database.queryCount
    const again = await search('type=students&q=ZED', admin)
    const queries = campus.database.queryCount - before
    expect(again.results).toEqual([])
    // …and costs no search query: the session and the org subtree only (the miss cost one more).
    const missBefore = campus.database.queryCount
    await search('type=students&q=zebra', admin)
    expect(campus.database.queryCount - missBefore).toBe(queries + 1)
    // An import of school 01 drops the organisation's entries.
    const failed = await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'import', source: 'oneroster-csv', orgIds: [SCHOOL_A], userIds: [] },
    )
    expect(failed).toEqual([])
    expect(ids(await search('type=students&q=zed', admin))).toEqual(['usr-fx-zed'])
  })

  it('an import of a school drops the district session’s entries too', async () => {
    const district = await cookieFor(campus, FX.admin, 'org-district', 'administrator')
    expect(ids(await search('type=students&q=yann', district))).toEqual([])
    await campus.database.db
      .insert(users)
      .values({ sourcedId: 'usr-fx-yann', username: 'yann', givenName: 'Yann', familyName: 'Y' })
    await campus.database.db.insert(userRoles).values({
      sourcedId: 'role-usr-fx-yann',
      userSourcedId: 'usr-fx-yann',
      roleType: 'primary',
      role: 'student',
      orgSourcedId: SCHOOL_B,
    })
    expect(ids(await search('type=students&q=yann', district))).toEqual([])
    await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'import', source: 'oneroster-csv', orgIds: [SCHOOL_B], userIds: [] },
    )
    expect(ids(await search('type=students&q=yann', district))).toEqual(['usr-fx-yann'])
  })

  it('a teacher’s results follow their roster after an import', async () => {
    expect(ids(await search('type=students&q=small1', teacher))).toEqual([])
    await campus.database.db.insert(enrollments).values({
      sourcedId: 'enr-fx-moved',
      classSourcedId: FX.classA,
      schoolSourcedId: SCHOOL_A,
      userSourcedId: 'usr-fx-s1',
      role: 'student',
    })
    await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'import', source: 'oneroster-csv', orgIds: [SCHOOL_A], userIds: ['usr-fx-s1'] },
    )
    expect(ids(await search('type=students&q=small1', teacher))).toEqual(['usr-fx-s1'])
    await campus.database.db.delete(enrollments).where(eq(enrollments.sourcedId, 'enr-fx-moved'))
  })
})

describe('search page and header box', { timeout: 60_000 }, () => {
  it('renders results without JavaScript and sends signed-out visitors to sign in', async () => {
    const res = await get(campus, '/search?q=jos%C3%A9&type=classes', teacher)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('action="/search"')
    expect(html).not.toContain('Fixture Algebra')
    const classes = await (await get(campus, '/search?q=algebra&type=classes', teacher)).text()
    expect(classes).toContain(`href="/reports/classes/${FX.classA}"`)
    const out = await get(campus, '/search?q=x&type=courses')
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/search?q=x&type=courses')}`,
    )
    const bad = await get(campus, '/search?q=x&type=people', teacher)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('type')
    const learnerBox = await (await get(campus, '/search?q=a&type=courses', student)).text()
    expect(learnerBox).toContain('<input type="hidden" name="type" value="courses"/>')
  })
})
