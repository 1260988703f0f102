/**
 * Everything of SCORM dispatches the app mounts: the launcher's API, the player the launcher
 * frames, and the admin pages, over
 * one per-process runtime (cache, cap counters).
 *
 * @module
 */
import { Hono } from 'hono'
import type { CampusDeps } from '../deps.js'
import { dispatchAdminRoutes } from './admin-routes.js'
import { dispatchApiRoutes } from './api-routes.js'
import { loadCourse } from './courses.js'
import { dispatchPlayerRoutes } from './player.js'
import { createDispatchRuntime, type DispatchRuntime } from './runtime.js'

/** The runtime `dispatchRoutes` builds, for tests and tools that act outside HTTP. */
export function dispatchRuntimeOf(deps: CampusDeps): DispatchRuntime {
  return createDispatchRuntime({
    db: deps.database.db,
    satchel: deps.satchel,
    logger: deps.logger,
    loadCourse: (orgId, packageId) => loadCourse(deps.database.db, orgId, packageId),
  })
}

/** The dispatch routes (`runtime` defaults to a new one over `deps`). */
export function dispatchRoutes(deps: CampusDeps, runtime = dispatchRuntimeOf(deps)): Hono {
  const app = new Hono()
  app.route(
    '/',
    dispatchApiRoutes(runtime, (c) => new URL(c.req.url).origin),
  )
  app.route('/', dispatchAdminRoutes(deps, runtime))
  app.route('/', dispatchPlayerRoutes(deps, runtime))
  return app
}
