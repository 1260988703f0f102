/**
 * Reports: `GET /api/reports/classes/:id`, `GET /api/reports/grades/:grade` (JSON), the pages
 * `/reports/classes/:id` and `/reports/grades/:grade`, and CSV with `?format=csv` on either (page
 * or API path). `?term=` and `?year=` pick academic sessions. docs/search-and-reports.md.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import type { CampusDeps } from '../../deps.js'
import { loadPageViewer } from '../../practice/viewer.js'
import { type AnalyticsViewer, requireViewer } from '../search/access.js'
import { invalidField } from '../search/errors.js'
import {
  analyticsErrorHandler,
  analyticsFailure,
  analyticsJson,
  analyticsPage,
} from '../search/respond.js'
import { authoriseClass, classReport } from './class-report.js'
import { classReportCsv, csvFileName, gradeReportCsv } from './csv.js'
import { listSessions, parseDimension } from './dimension.js'
import { authoriseGrade, gradeReport } from './grade-report.js'
import { ClassReportPage, GradeReportPage } from './pages.js'

type Format = 'json' | 'html' | 'csv'

/** `?format=`: absent → the route's own (JSON under /api/, else HTML); `csv`; else 400. */
function formatOf(c: Context, api: boolean): Format {
  const format = c.req.query('format')
  if (format === undefined || format === '') return api ? 'json' : 'html'
  if (format === 'csv') return 'csv'
  throw invalidField('format', 'is not csv')
}

function csvResponse(body: string, name: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  })
}

/** The report routes. */
export function reportRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  app.onError(analyticsErrorHandler(deps.logger))
  const reportDeps = { satchel: deps.satchel, db: deps.database.db }

  async function viewerAndDimension(c: Context) {
    const viewer: AnalyticsViewer = await requireViewer(c, reportDeps.db)
    return { viewer, dimension: () => parseDimension(reportDeps.db, viewer, c.req.query()) }
  }

  for (const api of [true, false]) {
    const prefix = api ? '/api/reports' : '/reports'

    app.get(`${prefix}/classes/:id`, async (c) => {
      try {
        const { viewer, dimension } = await viewerAndDimension(c)
        const cls = await authoriseClass(reportDeps, viewer, c.req.param('id'))
        const format = formatOf(c, api)
        const report = await classReport(reportDeps, viewer, cls, await dimension())
        if (format === 'csv') {
          return csvResponse(
            classReportCsv(report),
            csvFileName('class', cls.id, ...dimensionName(report.dimension)),
          )
        }
        if (format === 'json') return analyticsJson(c, report)
        const choices = await listSessions(reportDeps.db, viewer)
        const pageViewer = await loadPageViewer(deps, c)
        return analyticsPage(
          c,
          <ClassReportPage viewer={pageViewer} report={report} choices={choices} />,
        )
      } catch (error) {
        return analyticsFailure(c, error, api)
      }
    })

    app.get(`${prefix}/grades/:grade`, async (c) => {
      try {
        const { viewer, dimension } = await viewerAndDimension(c)
        const grade = authoriseGrade(viewer, c.req.param('grade'))
        const format = formatOf(c, api)
        const report = await gradeReport(reportDeps, viewer, grade, await dimension())
        if (format === 'csv') {
          return csvResponse(
            gradeReportCsv(report),
            csvFileName('grade', grade, ...dimensionName(report.dimension)),
          )
        }
        if (format === 'json') return analyticsJson(c, report)
        const choices = await listSessions(reportDeps.db, viewer)
        const pageViewer = await loadPageViewer(deps, c)
        return analyticsPage(
          c,
          <GradeReportPage viewer={pageViewer} report={report} choices={choices} />,
        )
      } catch (error) {
        return analyticsFailure(c, error, api)
      }
    })
  }
  return app
}

function dimensionName(dimension: {
  term: { id: string } | null
  year: { id: string } | null
}): string[] {
  return [dimension.year?.id, dimension.term?.id].filter((p): p is string => p !== undefined)
}
