import { Hono } from 'hono'
import type { Satchel } from 'satchel'

/** What the web layer needs from the process. */
export interface AppDeps {
  satchel: Satchel
}

/**
 * Builds the campus HTTP application. Pure: no listening socket, so tests call `app.request()`
 * and `main.ts` serves it.
 */
export function createApp({ satchel }: AppDeps): Hono {
  const app = new Hono()

  // Redis down is "degraded", not "down": campus keeps serving from PostgreSQL, so a load
  // balancer must not pull the instance. Only a closed satchel reports 503.
  app.get('/health', async (c) => {
    const health = await satchel.health()
    return c.json(health, health.status === 'down' ? 503 : 200)
  })

  return app
}
