import { Hono } from 'hono'
import { courseBuilderRoutes } from './admin/routes.js'
import type { CampusDeps } from './deps.js'
import { opsRoutes } from './ops/routes.js'
import { requestBodyLimit } from './security/body-limit.js'
import { securityHeaders } from './security/headers.js'
import { contentRoutes } from './web/routes.js'

export type { CampusDeps } from './deps.js'

/**
 * Builds the campus HTTP application. Pure: no listening socket, so tests call `app.request()`
 * and `main.ts` serves it. Operations and admin routes are mounted before the content pages,
 * whose `/:subject/…` patterns would otherwise match them.
 */
export function createApp(deps: CampusDeps): Hono {
  const app = new Hono()
  app.use(securityHeaders())
  app.use(requestBodyLimit(deps.bodyLimitBytes))
  app.route('/', opsRoutes(deps))
  app.route('/', courseBuilderRoutes(deps))
  app.route('/', contentRoutes(deps))
  return app
}
