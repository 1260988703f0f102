/**
 * The learner-facing content routes: server-rendered pages at the paths of the URL table
 * (docs/content-model.md) and their JSON twins under `/api/content/`.
 *
 * Every request runs inside `runWithContentRequest(route, …)` so the Redis bytes and bundle
 * fetches it causes are attributed to a bounded route name. A loader's "not found" becomes a
 * 404 (the loader has already logged the structured warning); anything thrown is a bug or an
 * infrastructure failure and becomes one 500 with an error log, here in `onError`.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import { isPlausibleId, isSlug } from '../content/identifiers.js'
import { resolveResourceRedirect } from '../content/loaders/index.js'
import type { NotFoundReason } from '../content/page-data.js'
import { runWithContentRequest } from '../content/request-context.js'
import type { CampusDeps } from '../deps.js'
import { ANONYMOUS, loadPageViewer } from '../practice/viewer.js'
import { courseActivities } from '../scorm/course/activities.js'
import {
  CONTENT_ENDPOINTS,
  type ContentEndpoint,
  type ContentRouteName,
  type EndpointRequest,
  loadIndex,
} from './endpoints.js'
import {
  htmlResponse,
  indexPage,
  notFoundPage,
  problemResponse,
  serverErrorPage,
} from './render.js'
import { RESERVED_SEGMENTS } from './subjects.js'

/** Prefix of the JSON twins. */
export const API_PREFIX = '/api/content'

type ContentEnv = { Variables: { contentRoute: ContentRouteName } }
type ContentContext = Context<ContentEnv>

const WHAT_WAS_NOT_FOUND: Record<NotFoundReason, string> = {
  subject_not_found: 'Subject',
  course_not_found: 'Course',
  unit_not_found: 'Unit',
  lesson_not_found: 'Lesson',
  resource_not_found: 'Content',
  slug_mismatch: 'Content',
  invalid_metadata: 'Content',
  component_resource_mismatch: 'Content',
}

function isApi(path: string): boolean {
  return path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)
}

/** The page path a request is about (the JSON twin's path without its prefix). */
function pagePath(path: string): string {
  return isApi(path) ? path.slice(API_PREFIX.length) || '/' : path
}

/** A 404 in the request's format: problem JSON under `/api/content`, the 404 page elsewhere. */
function notFound(c: ContentContext, what: string, reason?: NotFoundReason): Promise<Response> {
  const path = pagePath(c.req.path)
  const detail = `${what} not found: ${path}`
  if (isApi(c.req.path)) {
    return Promise.resolve(
      problemResponse(c, {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail,
        instance: c.req.path,
        ...(reason === undefined ? {} : { reason }),
      }),
    )
  }
  return htmlResponse(c, notFoundPage(detail), 404)
}

/**
 * Pages show who is signed in (and a learner's progress): a shared cache must keep the
 * anonymous page apart from the others. Signed-in answers are `private` anyway
 * (security/headers.ts); `Vary` covers caches that key on the URL alone.
 */
function varyByCookie(response: Response): Response {
  response.headers.append('Vary', 'Cookie')
  return response
}

function endpointRequest(deps: CampusDeps, c: ContentContext): EndpointRequest {
  return {
    source: deps.source,
    request: c.req.raw,
    params: c.req.param(),
    query: c.req.query(),
    viewer: ANONYMOUS,
  }
}

/**
 * Serves one endpoint as a page (`api` false) or as JSON. A reserved first segment (`/api/…`,
 * `/r/…`, `/health`, `/metrics`) is never a subject, and a segment that is not a slug names
 * nothing: 404 at once, no loader, no warning.
 */
function serve(deps: CampusDeps, endpoint: ContentEndpoint, api: boolean) {
  return (c: ContentContext): Promise<Response> => {
    c.set('contentRoute', endpoint.route)
    return runWithContentRequest(endpoint.route, async () => {
      const req = endpointRequest(deps, c)
      if (RESERVED_SEGMENTS.has(req.params.subject ?? '')) return notFound(c, 'Page')
      // Every segment is a slug: anything else names nothing (and never reaches the database).
      if (!Object.values(req.params).every(isSlug)) return notFound(c, 'Page')
      const result = await endpoint.run(req)
      if (!result.ok) return notFound(c, WHAT_WAS_NOT_FOUND[result.reason], result.reason)
      if (api) return c.json(result.data)
      const viewer = await loadPageViewer(deps, c)
      req.viewer = viewer
      req.courseActivities = (course) =>
        courseActivities(deps.scorm, course.orgId, course.courseId, viewer)
      return varyByCookie(await htmlResponse(c, result.page()))
    })
  }
}

/** The content pages and their JSON twins (mounted after the operations and admin routes). */
export function contentRoutes(deps: CampusDeps): Hono {
  const app = new Hono<ContentEnv>()

  app.onError((err, c) => {
    deps.logger.error(
      { err, method: c.req.method, path: c.req.path, route: c.get('contentRoute') },
      'content request failed',
    )
    if (isApi(c.req.path)) {
      return problemResponse(c, {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The content could not be loaded.',
        instance: c.req.path,
      })
    }
    return htmlResponse(c, serverErrorPage(), 500)
  })

  const index = (api: boolean) => (c: ContentContext) => {
    c.set('contentRoute', 'index')
    return runWithContentRequest('index', async () => {
      const data = await loadIndex(deps.source)
      if (api) return c.json(data)
      const viewer = await loadPageViewer(deps, c)
      return varyByCookie(await htmlResponse(c, indexPage(data, viewer)))
    })
  }
  app.get('/', index(false))
  app.get(API_PREFIX, index(true))
  app.get(`${API_PREFIX}/`, index(true))

  // Before the subject patterns: `/r/x` also matches `/:subject/:course` (and `r` is reserved).
  const redirect = (api: boolean) => (c: ContentContext) => {
    c.set('contentRoute', 'redirect')
    return runWithContentRequest('redirect', async () => {
      const resourceId = c.req.param('resourceId') ?? ''
      if (!isPlausibleId(resourceId)) return notFound(c, 'Resource')
      const path = await resolveResourceRedirect(deps.source, resourceId, c.req.raw)
      if (path === null) return notFound(c, 'Resource')
      return api ? c.json({ path }) : c.redirect(path, 302)
    })
  }
  app.get('/r/:resourceId', redirect(false))
  app.get(`${API_PREFIX}/r/:resourceId`, redirect(true))

  for (const endpoint of CONTENT_ENDPOINTS) {
    app.get(`${API_PREFIX}${endpoint.path}`, serve(deps, endpoint, true))
  }
  for (const endpoint of CONTENT_ENDPOINTS) {
    app.get(endpoint.path, serve(deps, endpoint, false))
  }

  // Last: any other GET (a path no pattern fits) gets the same 404 in the same format, rather
  // than the framework's plain-text one.
  app.get('*', (c) => notFound(c, 'Page'))

  // The route-name variable is internal: callers get a plain app to mount.
  return new Hono().route('/', app)
}
