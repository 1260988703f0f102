/**
 * Turns pages into responses: HTML documents, and RFC 9457 problem details for the JSON API.
 *
 * @module
 */
import type { Context } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { PageViewer } from '../practice/viewer.js'
import { NotFoundPage, ServerErrorPage } from './pages/errors.js'
import { IndexPage, type IndexPageData } from './pages/home.js'

/** An HTML document response. */
export async function htmlResponse(
  c: Context,
  page: Promise<JSX.Element> | JSX.Element,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(`<!DOCTYPE html>${await page}`, status)
}

/** The index page. */
export function indexPage(data: IndexPageData, viewer?: PageViewer): JSX.Element {
  return <IndexPage data={data} viewer={viewer} />
}

/** The 404 page. */
export function notFoundPage(detail: string): JSX.Element {
  return <NotFoundPage detail={detail} />
}

/** The 500 page. */
export function serverErrorPage(): JSX.Element {
  return <ServerErrorPage />
}

/** An RFC 9457 problem. Extra members (`reason`) say more than `detail` for machines. */
export interface Problem {
  type: 'about:blank'
  title: string
  status: number
  detail: string
  instance?: string
  [extension: string]: unknown
}

/** An `application/problem+json` response. */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json',
  })
}
