/**
 * Answers of search and report routes: JSON with `no-store` (the browser must not keep one
 * person's view), HTML pages, and each {@link AnalyticsError} as problem+json under `/api/` or
 * as a page (a sign-in redirect when signed out).
 *
 * @module
 */
import type { Context, ErrorHandler } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { Layout } from '../../web/layout.js'
import { ServerErrorPage } from '../../web/pages/errors.js'
import { CodedProblemError, NO_STORE } from '../../web/problem-error.js'
import { htmlResponse } from '../../web/render.js'
import { AnalyticsError } from './errors.js'

/** An HTML page, never stored by a browser or shared cache. */
export async function analyticsPage(
  c: Context,
  element: JSX.Element,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const response = await htmlResponse(c, element, status)
  response.headers.set('cache-control', 'no-store')
  return response
}

/** JSON, `no-store`. */
export function analyticsJson(c: Context, body: unknown): Response {
  return c.json(body, 200, NO_STORE)
}

function ErrorPage({ error }: { error: AnalyticsError }) {
  return (
    <Layout title={error.status === 404 ? 'Not found' : 'Cannot show this'}>
      <h1>{error.status === 404 ? 'Not found' : 'Cannot show this'}</h1>
      <p>{error.message}</p>
      {error.errors.length > 0 ? (
        <ul>
          {error.errors.map((e) => (
            <li>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  )
}

/** `error` as the route's kind of answer; anything else is rethrown (a 500 upstream). */
export async function analyticsFailure(
  c: Context,
  error: unknown,
  api: boolean,
): Promise<Response> {
  if (!(error instanceof AnalyticsError)) throw error
  if (api) return error.response()
  if (error.status === 401) {
    const next = c.req.path + (new URL(c.req.url).search || '')
    const response = c.redirect(`/login?next=${encodeURIComponent(next)}`, 303)
    response.headers.set('cache-control', 'no-store')
    return response
  }
  return analyticsPage(c, <ErrorPage error={error} />, error.status as ContentfulStatusCode)
}

/**
 * The routes' handler of unexpected failures (a bug, PostgreSQL down): logged, then a 500
 * problem under `/api/` or the error page, never cached.
 */
export function analyticsErrorHandler(logger: {
  error(fields: object, message: string): void
}): ErrorHandler {
  return async (err, c) => {
    logger.error({ err, method: c.req.method, path: c.req.path }, 'analytics request failed')
    if (c.req.path.startsWith('/api/')) {
      return new CodedProblemError(
        'E_INTERNAL',
        500,
        'The request could not be answered.',
      ).response()
    }
    return analyticsPage(c, <ServerErrorPage />, 500)
  }
}
