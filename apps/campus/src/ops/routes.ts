/**
 * Operations endpoints: `/health`, `/health/detailed`, `/metrics`, and the cache administration
 * routes (`cache-admin.ts`).
 *
 * @module
 */
import { Hono } from 'hono'
import { checkAdminToken, refusal } from '../admin/auth.js'
import type { CampusDeps } from '../deps.js'
import { cacheAdminRoutes } from './cache-admin.js'
import { detailedHealth, publicDetailedHealth, publicHealth } from './health.js'
import { prepareMetrics } from './metrics.js'

const NO_STORE = { 'cache-control': 'no-store' }

/** Operations endpoints. */
export function opsRoutes(deps: CampusDeps): Hono {
  const { satchel, registry } = deps
  prepareMetrics(registry, satchel)
  const app = new Hono()
  // Health stays open to load balancers; only its error texts need the admin token.
  const admin = (authorization: string | undefined) =>
    checkAdminToken(authorization, deps.adminToken) === 'ok'
  // Redis down is "degraded", not "down": campus keeps serving from PostgreSQL, so a load
  // balancer must not pull the instance. Only a closed satchel reports 503.
  app.get('/health', async (c) => {
    const health = await satchel.health()
    const body = admin(c.req.header('authorization')) ? health : publicHealth(health)
    return c.json(body, health.status === 'down' ? 503 : 200, NO_STORE)
  })
  app.get('/health/detailed', async (c) => {
    const { body, status } = await detailedHealth(deps)
    const shown = admin(c.req.header('authorization')) ? body : publicDetailedHealth(body)
    return c.json(shown, status, NO_STORE)
  })
  // Open by default (a private port); with METRICS_TOKEN set, scrapers present it as a Bearer
  // token, for deployments where the port is public (docs/SECURITY.md).
  app.get('/metrics', async (c) => {
    if (deps.metricsToken !== undefined) {
      const verdict = checkAdminToken(c.req.header('authorization'), deps.metricsToken)
      if (verdict !== 'ok') return refusal(verdict)
    }
    return c.text(await registry.metrics(), 200, {
      ...NO_STORE,
      'content-type': registry.contentType,
    })
  })
  app.route('/', cacheAdminRoutes(deps))
  return app
}
