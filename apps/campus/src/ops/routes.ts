/**
 * Operations endpoints: `/health`, `/health/detailed`, `/metrics`, and the cache administration
 * routes (`cache-admin.ts`).
 *
 * @module
 */
import { Hono } from 'hono'
import type { CampusDeps } from '../deps.js'
import { cacheAdminRoutes } from './cache-admin.js'
import { detailedHealth } from './health.js'
import { prepareMetrics } from './metrics.js'

const NO_STORE = { 'cache-control': 'no-store' }

/** Operations endpoints. */
export function opsRoutes(deps: CampusDeps): Hono {
  const { satchel, registry } = deps
  prepareMetrics(registry, satchel)
  const app = new Hono()
  // Redis down is "degraded", not "down": campus keeps serving from PostgreSQL, so a load
  // balancer must not pull the instance. Only a closed satchel reports 503.
  app.get('/health', async (c) => {
    const health = await satchel.health()
    return c.json(health, health.status === 'down' ? 503 : 200, NO_STORE)
  })
  app.get('/health/detailed', async (c) => {
    const { body, status } = await detailedHealth(deps)
    return c.json(body, status, NO_STORE)
  })
  app.get('/metrics', async (c) =>
    c.text(await registry.metrics(), 200, { ...NO_STORE, 'content-type': registry.contentType }),
  )
  app.route('/', cacheAdminRoutes(deps))
  return app
}
