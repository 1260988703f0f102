/**
 * `/dashboard` (HTML) and `/api/dashboard` (JSON): one URL, the view chosen by the session's
 * role (student, teacher, school administrator); `/dashboard/platform` and
 * `/api/dashboard/platform` for operators. Signed out → sign-in redirect or 401; a view the
 * session may not see → 403. Answers are `no-store`: they are one person's or one school's data.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { resolveOrgContext } from '../../auth/middleware.js'
import type { OrgContext } from '../../auth/principal.js'
import type { CampusDeps } from '../../deps.js'
import { cacheMetrics } from '../../ops/cache-metrics.js'
import { loadPageViewer } from '../../practice/viewer.js'
import { zodProblems } from '../../web/problem-error.js'
import { htmlResponse } from '../../web/render.js'
import {
  DashboardError,
  type DashboardView,
  dashboardQuery,
  requireOperator,
  viewFor,
} from './access.js'
import { type DashboardDeps, dashboardCache } from './cache.js'
import { DashboardRefusedPage } from './pages/frame.js'
import { PlatformDashboardPage, type PlatformView } from './pages/platform.js'
import { SchoolDashboardPage, type SchoolView } from './pages/school.js'
import { StudentDashboardPage } from './pages/student.js'
import { TeacherDashboardPage } from './pages/teacher.js'
import { pendingRepository } from './repositories/pending.js'
import { platformRepository } from './repositories/platform.js'
import { schoolRepository } from './repositories/school.js'
import { type StudentDashboard, studentRepository } from './repositories/student.js'
import { type TeacherDashboard, teacherRepository } from './repositories/teacher.js'

const NO_STORE = { 'cache-control': 'no-store' }

type ViewData = StudentDashboard | TeacherDashboard | SchoolView

/** The dashboard routes. */
export function dashboardRoutes(deps: CampusDeps): Hono {
  const repo: DashboardDeps = { satchel: deps.satchel, db: deps.database.db }
  const student = studentRepository(repo)
  const teacher = teacherRepository(repo)
  const school = schoolRepository(repo)
  const pending = pendingRepository(repo)
  const platform = platformRepository(repo)

  async function viewData(ctx: OrgContext, view: DashboardView): Promise<ViewData> {
    if (view === 'student') return student(ctx.orgId, ctx.principal.userId)
    if (view === 'teacher') return teacher(ctx.orgId, ctx.principal.userId)
    const [data, pendingLoginLinks] = await Promise.all([school(ctx.orgId), pending(ctx.orgId)])
    return { ...data, pendingLoginLinks }
  }

  async function platformData(): Promise<PlatformView> {
    const [data, metrics] = await Promise.all([platform(), cacheMetrics(deps)])
    const { hits, misses, hitRate } = dashboardCache(deps.satchel).stats()
    return {
      ...data,
      cache: { ...metrics.redis, dashboards: { hits: hits.l1 + hits.l2, misses, hitRate } },
    }
  }

  /** The session, or the refusal (signed out). */
  async function session(c: Context): Promise<OrgContext> {
    const ctx = await resolveOrgContext(c)
    if (!ctx) throw new DashboardError('E_UNAUTHENTICATED', 401, 'Sign in to see your dashboard.')
    return ctx
  }

  function requested(c: Context): DashboardView | undefined {
    const parsed = dashboardQuery.safeParse(c.req.query())
    if (parsed.success) return parsed.data.view
    const { detail, errors } = zodProblems(parsed.error)
    throw new DashboardError('E_VALIDATION', 400, detail, { errors })
  }

  async function page(c: Context, render: (ctx: OrgContext) => Promise<JSX.Element>) {
    try {
      const ctx = await session(c)
      const response = await htmlResponse(c, render(ctx))
      response.headers.set('cache-control', 'no-store')
      return response
    } catch (error) {
      if (!(error instanceof DashboardError)) throw error
      if (error.status === 401) {
        const url = new URL(c.req.url)
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303)
      }
      const viewer = await loadPageViewer(deps, c)
      const rejected = <DashboardRefusedPage viewer={viewer} message={error.message} />
      const response = await htmlResponse(c, rejected, error.status as ContentfulStatusCode)
      response.headers.set('cache-control', 'no-store')
      return response
    }
  }

  async function json(run: () => Promise<unknown>): Promise<Response> {
    try {
      return Response.json(await run(), { headers: NO_STORE })
    } catch (error) {
      if (error instanceof DashboardError) return error.response()
      throw error
    }
  }

  const app = new Hono()
  app.get('/api/dashboard', (c) =>
    json(async () => {
      const ctx = await session(c)
      return viewData(ctx, viewFor(ctx, requested(c)))
    }),
  )
  app.get('/api/dashboard/platform', (c) =>
    json(async () => {
      requireOperator(await session(c))
      return platformData()
    }),
  )
  app.get('/dashboard', (c) =>
    page(c, async (ctx) => {
      const view = viewFor(ctx, requested(c))
      const [data, viewer] = await Promise.all([viewData(ctx, view), loadPageViewer(deps, c)])
      if (data.view === 'student') return <StudentDashboardPage data={data} viewer={viewer} />
      if (data.view === 'teacher') return <TeacherDashboardPage data={data} viewer={viewer} />
      return <SchoolDashboardPage data={data} viewer={viewer} operator={ctx.principal.operator} />
    }),
  )
  app.get('/dashboard/platform', (c) =>
    page(c, async (ctx) => {
      requireOperator(ctx)
      const [data, viewer] = await Promise.all([platformData(), loadPageViewer(deps, c)])
      return <PlatformDashboardPage data={data} viewer={viewer} />
    }),
  )
  return app
}
