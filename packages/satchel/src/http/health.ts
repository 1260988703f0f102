/**
 * Health endpoint over the Fetch API.
 *
 * @module
 */
import type { Context } from 'hono'
import type { Satchel } from '../satchel.js'

/**
 * A Fetch-API handler answering `satchel.health()` as JSON: 200 while satchel can serve
 * (`healthy`, and `degraded`, because with Redis down every primitive is on its fallback path
 * and the service still works), 503 once satchel is `down` (closed). A load balancer should not
 * pull an instance out of rotation because Redis is down: Redis is an accelerator.
 *
 * @example
 * ```ts
 * const health = healthHandler(satchel)
 * export const GET = health // Next.js route handler; or app.get('/health', healthRoute(satchel))
 * ```
 */
export function healthHandler(
  satchel: Pick<Satchel, 'health'>,
): (request?: Request) => Promise<Response> {
  return async () => {
    const report = await satchel.health()
    return Response.json(report, {
      status: report.status === 'down' ? 503 : 200,
      headers: { 'cache-control': 'no-store' },
    })
  }
}

/**
 * {@link healthHandler} as a Hono route handler.
 * @example app.get('/health', healthRoute(satchel))
 */
export function healthRoute(satchel: Pick<Satchel, 'health'>): (c: Context) => Promise<Response> {
  const handler = healthHandler(satchel)
  return (c) => handler(c.req.raw)
}
