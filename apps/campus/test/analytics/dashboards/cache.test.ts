/**
 * The dashboards' cache: a repeated view is a hit (no database query, satchel's namespace
 * counts it); a graded attempt drops the learner's and their teacher's views; an import drops
 * and re-warms its organisation's views (and only those); a login-link request and its decision
 * move the administrators' pending count.
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceDataChange } from '../../../src/analytics/changes.js'
import { dashboardCache } from '../../../src/analytics/dashboards/cache.js'
import type { PlatformView } from '../../../src/analytics/dashboards/pages/platform.js'
import type { SchoolView } from '../../../src/analytics/dashboards/pages/school.js'
import type { StudentDashboard } from '../../../src/analytics/dashboards/repositories/student.js'
import type { TeacherDashboard } from '../../../src/analytics/dashboards/repositories/teacher.js'
import {
  classes,
  courseComponents,
  courses,
  externalAssessmentScores,
  importRuns,
} from '../../../src/db/schema.js'
import { fileRequest } from '../../admin-area/support.js'
import { answers, body, servedForm, submitJson } from '../../practice/support.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { type Cast, findCast, get, getJson, SCHOOL_A, signInCast } from './support.js'

describe('dashboard caching and invalidation', () => {
  let redis: RedisServer
  let campus: TestCampus
  let cast: Cast
  const cookies = { learnerA: '', teacherA: '', adminA: '', adminB: '', operator: '' }
  const queries = () => campus.database.queryCount

  /** Database queries one GET costs (after the session is in the session index). */
  async function cost(path: string, cookie: string): Promise<number> {
    const before = queries()
    const res = await get(campus, path, cookie)
    expect(res.status).toBe(200)
    await res.text()
    return queries() - before
  }

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

  it('answers a repeated view from the cache: no database query, a hit in the stats', async () => {
    for (const cookie of [cookies.teacherA, cookies.adminA, cookies.learnerA]) {
      expect(await cost('/api/dashboard', cookie)).toBeGreaterThan(0)
      const hits = dashboardCache(campus.satchel).stats().hits
      expect(await cost('/api/dashboard', cookie)).toBe(0)
      const after = dashboardCache(campus.satchel).stats().hits
      expect(after.l1 + after.l2).toBeGreaterThan(hits.l1 + hits.l2)
    }
  })

  it('drops the learner’s and their teacher’s views after a graded attempt', async () => {
    const before = await getJson<StudentDashboard>(campus, '/api/dashboard', cookies.learnerA)
    const teacherBefore = await getJson<TeacherDashboard>(
      campus,
      '/api/dashboard',
      cookies.teacherA,
    )
    const form = await servedForm(campus, await quizPathOfClass(cast.classA), {
      cookie: cookies.learnerA,
    })
    const res = await submitJson(campus, body(form, await answers(campus, form.itemIds)), {
      cookie: cookies.learnerA,
    })
    expect(res.status).toBe(201)
    const after = await getJson<StudentDashboard>(campus, '/api/dashboard', cookies.learnerA)
    expect(after.totals.attempts).toBe(before.totals.attempts + 1)
    expect(after.recent[0]?.scorePercent).toBe(100)
    const teacherAfter = await getJson<TeacherDashboard>(campus, '/api/dashboard', cookies.teacherA)
    const attemptsOf = (d: TeacherDashboard) =>
      d.classes.find((c) => c.classId === cast.classA)?.attempts
    expect(attemptsOf(teacherAfter)).toBe((attemptsOf(teacherBefore) ?? 0) + 1)
  })

  it('drops and re-warms the imported organisation’s views, and leaves other schools alone', async () => {
    const a = await getJson<SchoolView>(campus, '/api/dashboard', cookies.adminA)
    await getJson<SchoolView>(campus, '/api/dashboard', cookies.adminB)
    await getJson<PlatformView>(campus, '/api/dashboard/platform', cookies.operator)
    expect(a.ixl.map((i) => i.period)).not.toContain('Spring 2027')
    const [run] = await campus.database.db
      .insert(importRuns)
      .values({
        orgSourcedId: SCHOOL_A,
        source: 'ixl-csv',
        origin: 'spring.csv',
        via: 'cli',
        status: 'succeeded',
      })
      .returning({ id: importRuns.id })
    await campus.database.db.insert(externalAssessmentScores).values({
      orgSourcedId: SCHOOL_A,
      userSourcedId: cast.learnerA,
      provider: 'ixl',
      assessment: 'diagnostic',
      subject: 'math',
      strand: 'overall',
      period: 'Spring 2027',
      level: 1000,
      importRunId: run?.id ?? '',
    })
    const failed = await announceDataChange(
      { satchel: campus.satchel, db: campus.database.db, logger: campus.deps.logger },
      { kind: 'import', source: 'ixl-csv', orgIds: [SCHOOL_A], userIds: [] },
    )
    expect(failed).toEqual([])
    // Warmed by the handler: the next reads cost no query and show the import.
    const before = queries()
    const fresh = await getJson<SchoolView>(campus, '/api/dashboard', cookies.adminA)
    expect(fresh.ixl.map((i) => i.period)).toContain('Spring 2027')
    const platform = await getJson<PlatformView>(
      campus,
      '/api/dashboard/platform',
      cookies.operator,
    )
    expect(platform.runs.map((r) => r.id)).toContain(run?.id)
    expect(queries() - before).toBe(0)
    // School B's entry was neither dropped nor reloaded.
    expect(await cost('/api/dashboard', cookies.adminB)).toBe(0)
  })

  it('moves the administrators’ pending count when a request is filed and decided', async () => {
    const pendingOf = async (cookie: string) =>
      (await getJson<SchoolView>(campus, '/api/dashboard', cookie)).pendingLoginLinks
    const a = await pendingOf(cookies.adminA)
    const district = await pendingOf(cookies.operator)
    const b = await pendingOf(cookies.adminB)
    const id = await fileRequest(campus, SCHOOL_A, 'lost.password@campus.example')
    expect(await pendingOf(cookies.adminA)).toBe(a + 1)
    expect(await pendingOf(cookies.operator)).toBe(district + 1)
    expect(await pendingOf(cookies.adminB)).toBe(b)
    const page = await (await get(campus, '/dashboard', cookies.adminA)).text()
    expect(page).toContain(`<strong>${a + 1}</strong> pending login-link requests`)
    const reject = await campus.app.request(`/api/admin/login-link-requests/${id}/reject`, {
      method: 'POST',
      headers: { cookie: cookies.adminA, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(reject.status).toBe(200)
    expect(await pendingOf(cookies.adminA)).toBe(a)
    expect(await pendingOf(cookies.operator)).toBe(district)
  })

  /** The first quiz of the first unit of the class's course, as a page path. */
  async function quizPathOfClass(classId: string): Promise<string> {
    const db = campus.database.db
    const [row] = await db
      .select({
        course: courses.metadata,
        unit: courseComponents.metadata,
        order: courseComponents.sortOrder,
      })
      .from(classes)
      .innerJoin(courses, eq(courses.sourcedId, classes.courseSourcedId))
      .innerJoin(courseComponents, eq(courseComponents.courseSourcedId, courses.sourcedId))
      .where(
        and(
          eq(classes.sourcedId, classId),
          isNull(courseComponents.parentSourcedId),
          eq(courseComponents.sortOrder, 1),
        ),
      )
      .orderBy(asc(courseComponents.sortOrder))
      .limit(1)
    const course = row?.course as { slug: string; subjectSlug: string } | undefined
    const unit = row?.unit as { slug: string } | undefined
    if (!course || !unit) throw new Error(`no unit in the course of ${classId}`)
    return `/${course.subjectSlug}/${course.slug}/${unit.slug}/quiz/quiz-1`
  }
})
