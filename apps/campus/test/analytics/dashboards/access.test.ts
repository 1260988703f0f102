/**
 * Who sees which dashboard: each role its own view with only its own data; signed out → sign-in
 * redirect or 401; another role's view, or the platform view without being an operator → 403;
 * a bad `view` → 400. None of the refusals is stored by a browser.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformView } from '../../../src/analytics/dashboards/pages/platform.js'
import type { SchoolView } from '../../../src/analytics/dashboards/pages/school.js'
import type { StudentDashboard } from '../../../src/analytics/dashboards/repositories/student.js'
import type { TeacherDashboard } from '../../../src/analytics/dashboards/repositories/teacher.js'
import { classes, enrollments, orgs, userRoles } from '../../../src/db/schema.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { type Cast, findCast, get, getJson, SCHOOL_A, SCHOOL_B, signInCast } from './support.js'

describe('dashboard access', () => {
  let redis: RedisServer
  let campus: TestCampus
  let cast: Cast
  const cookies = { learnerA: '', learnerB: '', teacherA: '', adminA: '', adminB: '', operator: '' }

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    cast = await findCast(campus)
    Object.assign(cookies, await signInCast(campus, cast))
  }, 120_000)
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('sends the signed-out to sign in (page) or answers 401 (API), never stored', async () => {
    const page = await get(campus, '/dashboard?view=teacher')
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('/login?next=%2Fdashboard%3Fview%3Dteacher')
    const api = await get(campus, '/api/dashboard')
    expect(api.status).toBe(401)
    expect(api.headers.get('content-type')).toBe('application/problem+json')
    expect(api.headers.get('cache-control')).toBe('no-store')
    expect((await get(campus, '/api/dashboard/platform')).status).toBe(401)
  })

  it('shows a student their own courses and attempts, nobody else’s', async () => {
    const data = await getJson<StudentDashboard>(campus, '/api/dashboard', cookies.learnerA)
    expect(data.view).toBe('student')
    expect(data.userId).toBe(cast.learnerA)
    const own = await campus.database.db
      .select({ id: classes.sourcedId })
      .from(enrollments)
      .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
      .where(and(eq(enrollments.userSourcedId, cast.learnerA), eq(enrollments.role, 'student')))
    expect(data.courses.map((c) => c.classId).sort()).toEqual(own.map((c) => c.id).sort())
    expect(data.totals.attempts).toBeGreaterThan(0)
    expect(data.recent.length).toBeGreaterThan(0)
    const other = await getJson<StudentDashboard>(campus, '/api/dashboard', cookies.learnerB)
    expect(other.userId).toBe(cast.learnerB)
    const ids = new Set(data.recent.map((a) => a.id))
    expect(other.recent.some((a) => ids.has(a.id))).toBe(false)
    const page = await get(campus, '/dashboard', cookies.learnerA)
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toContain('My courses')
  })

  it('refuses a student the teacher, school and platform views (403)', async () => {
    for (const path of ['/api/dashboard?view=teacher', '/api/dashboard?view=school']) {
      const res = await get(campus, path, cookies.learnerA)
      expect(res.status, path).toBe(403)
      expect(((await res.json()) as { code: string }).code).toBe('E_FORBIDDEN')
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
    expect((await get(campus, '/api/dashboard/platform', cookies.learnerA)).status).toBe(403)
    const page = await get(campus, '/dashboard?view=teacher', cookies.learnerA)
    expect(page.status).toBe(403)
    expect(await page.text()).toContain('Dashboard not available')
    const bad = await get(campus, '/api/dashboard?view=everything', cookies.learnerA)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('view')
  })

  it('shows a teacher exactly the classes they teach, with who is behind and item difficulty', async () => {
    const data = await getJson<TeacherDashboard>(campus, '/api/dashboard', cookies.teacherA)
    expect(data.view).toBe('teacher')
    const taught = await campus.database.db
      .select({ id: enrollments.classSourcedId })
      .from(enrollments)
      .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
      .where(
        and(
          eq(enrollments.userSourcedId, cast.teacherA),
          eq(enrollments.role, 'teacher'),
          eq(classes.schoolSourcedId, SCHOOL_A),
        ),
      )
    expect(data.classes.map((c) => c.classId).sort()).toEqual(taught.map((t) => t.id).sort())
    const classIds = new Set(taught.map((t) => t.id))
    expect(data.behind.every((b) => classIds.has(b.classId))).toBe(true)
    expect(data.items.length).toBeGreaterThan(0)
    const shares = data.items.map((i) => i.shareCorrect)
    expect(shares).toEqual([...shares].sort((a, b) => a - b))
    expect((await get(campus, '/api/dashboard?view=school', cookies.teacherA)).status).toBe(403)
    expect((await get(campus, '/api/dashboard/platform', cookies.teacherA)).status).toBe(403)
  })

  it('shows each school administrator their school only; the district sees its schools', async () => {
    const a = await getJson<SchoolView>(campus, '/api/dashboard', cookies.adminA)
    const b = await getJson<SchoolView>(campus, '/api/dashboard', cookies.adminB)
    const district = await getJson<SchoolView>(campus, '/api/dashboard', cookies.operator)
    const students = async (orgIds: string[]) => {
      const [row] = await campus.database.db
        .select({ n: sql<number>`count(distinct ${userRoles.userSourcedId})::int` })
        .from(userRoles)
        .where(and(inArray(userRoles.orgSourcedId, orgIds), eq(userRoles.role, 'student')))
      return row?.n
    }
    expect(a.orgId).toBe(SCHOOL_A)
    expect(a.counts.students).toBe(await students([SCHOOL_A]))
    expect(b.counts.students).toBe(await students([SCHOOL_B]))
    expect(district.orgs).toBeGreaterThan(2)
    const everyOrg = (await campus.database.db.select({ id: orgs.sourcedId }).from(orgs)).map(
      (o) => o.id,
    )
    expect(district.counts.students).toBe(await students(everyOrg))
    expect(district.counts.classes).toBeGreaterThan(a.counts.classes)
    expect(a.usage.daily).toHaveLength(28)
    expect(a.usage.activeLearners28d).toBeGreaterThan(0)
    expect(a.ixl.map((i) => i.period)).toContain('Winter 2026')
    // An administrator is not a teacher, and a school administrator is not an operator.
    expect((await get(campus, '/api/dashboard?view=teacher', cookies.adminA)).status).toBe(403)
    expect((await get(campus, '/api/dashboard/platform', cookies.adminA)).status).toBe(403)
  })

  it('shows the operator every organisation, the import runs, the cache and Redis', async () => {
    const data = await getJson<PlatformView>(campus, '/api/dashboard/platform', cookies.operator)
    expect(data.orgs.map((o) => o.id)).toContain(SCHOOL_B)
    expect(data.runs.length).toBeGreaterThan(0)
    expect(data.runs.every((r) => r.status === 'succeeded')).toBe(true)
    expect(data.cache.health.connected).toBe(true)
    const page = await get(campus, '/dashboard/platform', cookies.operator)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Recent imports')
  })
})
