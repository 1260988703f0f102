/**
 * The dispatch API the launcher calls from the tenant's LMS page (cross-origin):
 *
 * `POST /api/dispatch/:dispatchId/launch` `{ key, learnerId, learnerName }` → 201 (new
 * registration) or 200 (resumed) `{ registrationId, resumed, token, expiresAt, launchUrl }`;
 * refusals are problem+json with the failed check's code (`launch.ts`). The launcher frames
 * `launchUrl` (`player.tsx`).
 *
 * CORS: a preflight is answered for any origin (it carries no credential and changes nothing);
 * the POST itself checks the origin against the tenant's allowed domains and answers with
 * `Access-Control-Allow-Origin` naming that origin, so the launcher can read the result, or
 * the refusal. No cookie is involved (`credentials: 'omit'`), which is also why the app's CSRF
 * guard lets these cookie-less `/api/` posts through.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { dispatchLaunchLimit } from '../scorm/launch-limits.js'
import { DispatchError, dispatchValidationError, NO_STORE } from './errors.js'
import { launchDispatch } from './launch.js'
import type { DispatchRuntime } from './runtime.js'
import { launchInputSchema } from './schemas.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function corsHeaders(c: Context): Record<string, string> {
  const origin = c.req.header('origin')
  return origin && origin !== 'null'
    ? { 'access-control-allow-origin': origin, vary: 'Origin' }
    : { vary: 'Origin' }
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw new DispatchError('E_VALIDATION', 400, 'Invalid input: the body must be JSON', {
      errors: [{ field: '(body)', message: 'not valid JSON' }],
    })
  }
}

function headersOf(c: Context) {
  return { origin: c.req.header('origin'), referer: c.req.header('referer') }
}

/** Campus's origin as the launcher must reach it (the request's own; see PUBLIC_URL). */
export type OriginOf = (c: Context) => string

/** The dispatch API routes. */
export function dispatchApiRoutes(rt: DispatchRuntime, originOf: OriginOf): Hono {
  const app = new Hono()
  app.onError((error, c) => {
    if (error instanceof DispatchError) return error.response(corsHeaders(c))
    throw error
  })

  const preflight = (c: Context) =>
    c.body(null, 204, {
      ...corsHeaders(c),
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, authorization',
      'access-control-max-age': '600',
      ...NO_STORE,
    })
  app.options('/api/dispatch/:dispatchId/launch', preflight)

  // The limit's 429 is made here, outside onError: give it the CORS headers so the launcher
  // (another origin) can read why it was refused.
  const limit = dispatchLaunchLimit(rt.satchel)
  const launchLimit: MiddlewareHandler = async (c, next) => {
    const refused = await limit(c, next)
    if (refused) {
      for (const [name, value] of Object.entries(corsHeaders(c))) refused.headers.set(name, value)
    }
    return refused
  }

  app.post('/api/dispatch/:dispatchId/launch', launchLimit, async (c) => {
    const dispatchId = c.req.param('dispatchId')
    const parsed = launchInputSchema.safeParse(await jsonBody(c))
    if (!parsed.success) throw dispatchValidationError(parsed.error)
    if (!UUID.test(dispatchId)) {
      throw new DispatchError(
        'E_DISPATCH_KEY_INVALID',
        401,
        'the dispatch key is invalid or revoked',
      )
    }
    const grant = await launchDispatch(rt, { dispatchId, ...parsed.data, ...headersOf(c) })
    const base = originOf(c)
    return c.json(
      {
        registrationId: grant.registrationId,
        resumed: grant.resumed,
        token: grant.token,
        expiresAt: grant.expiresAt.toISOString(),
        launchUrl: `${base}/dispatch/play/${grant.registrationId}?token=${encodeURIComponent(grant.token)}`,
      },
      grant.resumed ? 200 : 201,
      { ...NO_STORE, 'access-control-allow-origin': grant.origin, vary: 'Origin' },
    )
  })

  return app
}
