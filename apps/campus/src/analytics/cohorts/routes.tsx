/**
 * The cohort pages and their JSON twins:
 *
 * - `GET /cohorts?scope=class|grade|school&id=…&score=quiz|ixl|toddle[&pick&course&subject&period&by]`
 *   and `GET /api/cohorts?…`;
 * - `GET /cohorts` without a query: the cohorts the caller may open;
 * - `GET /cohorts/compare?a=scope:id&b=scope:id&score=…[&filters]` and `GET /api/cohorts/compare?…`.
 *
 * Every request: signed in (else sign-in redirect / 401), role and cohort checked against the
 * session's organisation subtree (403 / 404) BEFORE the cached read, query validated (400 naming
 * the field). Answers are `no-store`: they are one organisation's learners' data.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { resolveOrgContext } from '../../auth/middleware.js'
import type { OrgContext } from '../../auth/principal.js'
import type { CampusDeps } from '../../deps.js'
import { loadPageViewer } from '../../practice/viewer.js'
import { ServerErrorPage } from '../../web/pages/errors.js'
import { NO_STORE } from '../../web/problem-error.js'
import { orgSubtree } from '../scope.js'
import { checkFilters, resolveCohort } from './access.js'
import { buildComparison } from './compare.js'
import { CohortError } from './errors.js'
import { CohortCharts } from './figures.js'
import { CohortIndexPage, loadCohortIndex } from './index-page.js'
import { CohortErrorPage, CohortPage, ComparePage } from './pages.js'
import { parseCohortQuery, parseCompareQuery } from './params.js'
import { buildCohortReport, numericValues } from './report.js'
import { cachedCohortData } from './repository.js'
import { effectiveMinCohortSize } from './settings.js'

/** Query values, with empty form fields treated as absent (a GET form sends every field). */
function queryOf(c: Context): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(c.req.query())) if (value !== '') out[name] = value
  return out
}

async function html(c: Context, page: unknown, status: ContentfulStatusCode = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
}

/** The cohort routes (mounted before the content pages, whose patterns would match). */
export function cohortRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const db = deps.database.db
  const cacheDeps = { satchel: deps.satchel, db }

  // A bug or PostgreSQL down: logged, answered 500 and never stored.
  app.onError(async (err, c) => {
    deps.logger.error({ err, method: c.req.method, path: c.req.path }, 'cohort request failed')
    if (c.req.path.startsWith('/api/')) {
      return new CohortError('E_INTERNAL', 500, 'The cohort could not be computed.').response()
    }
    return html(c, <ServerErrorPage />, 500)
  })

  /** Runs `body` for a signed-in teacher or administrator; errors become 4xx pages or problems. */
  const guarded =
    (api: boolean, body: (c: Context, ctx: OrgContext) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        const ctx = await resolveOrgContext(c)
        if (!ctx) {
          if (!api) {
            const url = new URL(c.req.url)
            const response = c.redirect(
              `/login?next=${encodeURIComponent(url.pathname + url.search)}`,
              303,
            )
            response.headers.set('cache-control', 'no-store')
            return response
          }
          throw new CohortError('E_UNAUTHENTICATED', 401, 'Sign in to see cohorts.')
        }
        // Students are refused before their query is even read.
        if (ctx.principal.role === 'student' && !ctx.principal.operator) {
          throw new CohortError('E_FORBIDDEN', 403, 'Cohorts are for teachers and administrators.')
        }
        return await body(c, ctx)
      } catch (error) {
        if (!(error instanceof CohortError)) throw error
        if (api) return error.response()
        return html(
          c,
          <CohortErrorPage
            status={error.status}
            detail={error.message}
            errors={error.errors}
            viewer={await loadPageViewer(deps, c)}
          />,
          error.status as ContentfulStatusCode,
        )
      }
    }

  const cohortReport = async (c: Context, ctx: OrgContext) => {
    const query = parseCohortQuery(queryOf(c))
    const subtree = await orgSubtree(db, ctx.orgId)
    const cohort = await resolveCohort(db, ctx, subtree, query.cohort)
    await checkFilters(db, subtree, query.scores)
    const [minN, data] = await Promise.all([
      effectiveMinCohortSize(db, ctx.orgId),
      cachedCohortData(cacheDeps, ctx.orgId, subtree, query.cohort, query.scores),
    ])
    return {
      report: buildCohortReport(cohort, query.scores, data, query.by, minN),
      values: numericValues(data),
    }
  }

  const comparison = async (c: Context, ctx: OrgContext) => {
    const query = parseCompareQuery(queryOf(c))
    const subtree = await orgSubtree(db, ctx.orgId)
    const a = await resolveCohort(db, ctx, subtree, query.a)
    const b = await resolveCohort(db, ctx, subtree, query.b)
    await checkFilters(db, subtree, query.scores)
    const [minN, dataA, dataB] = await Promise.all([
      effectiveMinCohortSize(db, ctx.orgId),
      cachedCohortData(cacheDeps, ctx.orgId, subtree, query.a, query.scores),
      cachedCohortData(cacheDeps, ctx.orgId, subtree, query.b, query.scores),
    ])
    const values = { a: numericValues(dataA), b: numericValues(dataB) }
    return {
      comparison: buildComparison(
        buildCohortReport(a, query.scores, dataA, null, minN),
        values.a,
        buildCohortReport(b, query.scores, dataB, null, minN),
        values.b,
      ),
      values,
    }
  }

  app.get(
    '/api/cohorts',
    guarded(true, async (c, ctx) => c.json((await cohortReport(c, ctx)).report, 200, NO_STORE)),
  )
  app.get(
    '/cohorts',
    guarded(false, async (c, ctx) => {
      if (Object.keys(queryOf(c)).length === 0) {
        const index = await loadCohortIndex(db, ctx, await orgSubtree(db, ctx.orgId))
        return html(c, <CohortIndexPage index={index} viewer={await loadPageViewer(deps, c)} />)
      }
      const { report, values } = await cohortReport(c, ctx)
      return html(
        c,
        <CohortPage
          report={report}
          charts={<CohortCharts report={report} values={values} />}
          viewer={await loadPageViewer(deps, c)}
        />,
      )
    }),
  )
  app.get(
    '/api/cohorts/compare',
    guarded(true, async (c, ctx) => c.json((await comparison(c, ctx)).comparison, 200, NO_STORE)),
  )
  app.get(
    '/cohorts/compare',
    guarded(false, async (c, ctx) => {
      const { comparison: result, values } = await comparison(c, ctx)
      return html(
        c,
        <ComparePage
          comparison={result}
          charts={{
            a: <CohortCharts report={result.a} values={values.a} />,
            b: <CohortCharts report={result.b} values={values.b} />,
          }}
          viewer={await loadPageViewer(deps, c)}
        />,
      )
    }),
  )
  return app
}
