/**
 * `GET /api/search?q=&type=students|classes|courses&limit=` and its page, `GET /search`.
 * docs/search-and-reports.md.
 *
 * @module
 */
import { Hono } from 'hono'
import type { CampusDeps } from '../../deps.js'
import { loadPageViewer } from '../../practice/viewer.js'
import { requireViewer } from './access.js'
import { parseSearch } from './input.js'
import { SearchPage } from './page.js'
import { analyticsErrorHandler, analyticsFailure, analyticsJson, analyticsPage } from './respond.js'
import { search } from './service.js'

/** The search API and page. */
export function searchRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  app.onError(analyticsErrorHandler(deps.logger))
  const searchDeps = { satchel: deps.satchel, db: deps.database.db }

  app.get('/api/search', async (c) => {
    try {
      const viewer = await requireViewer(c, searchDeps.db)
      const result = await search(searchDeps, viewer, parseSearch(c.req.query()))
      return analyticsJson(c, result)
    } catch (error) {
      return analyticsFailure(c, error, true)
    }
  })

  app.get('/search', async (c) => {
    try {
      const viewer = await requireViewer(c, searchDeps.db)
      const result = await search(searchDeps, viewer, parseSearch(c.req.query()))
      const pageViewer = await loadPageViewer(deps, c)
      return analyticsPage(c, <SearchPage viewer={pageViewer} result={result} />)
    } catch (error) {
      return analyticsFailure(c, error, false)
    }
  })

  return app
}
