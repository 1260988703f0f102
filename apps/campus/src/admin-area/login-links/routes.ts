/**
 * Routes of login-link requests:
 *
 * | route | who | what |
 * |---|---|---|
 * | `POST /api/login-link-requests` | anyone (rate-limited) | ask for a login link |
 * | `GET /api/admin/login-link-requests` | administrators | list (`?status=`, `?orgId=` for operators) |
 * | `GET /api/admin/login-link-requests/count` | administrators | `{ orgId, pending }` |
 * | `GET /api/admin/login-link-requests/events` | administrators | SSE: `pending` on every change |
 * | `POST /api/admin/login-link-requests/:id/approve` | administrators | approve and mail a link |
 * | `POST /api/admin/login-link-requests/:id/reject` | administrators | reject |
 *
 * Decisions accept `Idempotency-Key`. Everything of another organisation answers 404.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { CampusDeps } from '../../deps.js'
import { orgInScope, requireAdminAccess } from '../access.js'
import { AdminAreaError, NO_STORE, validationFailure } from '../errors.js'
import { adminIdempotency } from '../idempotency.js'
import { handleLoginLinkRequest } from './create.js'
import { type Decision, decideLoginLinkRequest } from './decide.js'
import { listLoginLinkRequests } from './queries.js'
import { listQuery, orgQuery } from './schemas.js'

/** How often an idle event stream sends a comment, so proxies do not close it. */
const HEARTBEAT_MS = 15_000

/** Answers an {@link AdminAreaError} as problem+json; anything else propagates. */
export async function answering(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof AdminAreaError) return error.response()
    throw error
  }
}

/** The org a count or stream is about; operators without a session org must name one. */
function scopedOrg(c: Context): string {
  const query = orgQuery.safeParse(c.req.query())
  if (!query.success) throw validationFailure(query.error)
  const orgId = orgInScope(c.get('adminAccess'), query.data.orgId)
  if (orgId === undefined) {
    throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: orgId', {
      errors: [{ field: 'orgId', message: 'name the organisation' }],
    })
  }
  return orgId
}

/** The origin links in mail point at when no public URL is configured. */
export function requestOrigin(c: Context): string {
  return new URL(c.req.url).origin
}

/** The login-link request routes. */
export function loginLinkRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  const idempotent = adminIdempotency(deps.adminArea.idempotency)

  app.post('/api/login-link-requests', (c) => handleLoginLinkRequest(c, deps))

  app.get('/api/admin/login-link-requests', admin, (c) =>
    answering(async () => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) throw validationFailure(query.error)
      const orgId = orgInScope(c.get('adminAccess'), query.data.orgId)
      const requests = await listLoginLinkRequests(deps.database.db, {
        orgId,
        status: query.data.status,
        limit: query.data.limit,
      })
      return c.json({ requests }, 200, NO_STORE)
    }),
  )

  app.get('/api/admin/login-link-requests/count', admin, (c) =>
    answering(async () => {
      const orgId = scopedOrg(c)
      return c.json({ orgId, pending: await deps.adminArea.pending.get(orgId) }, 200, NO_STORE)
    }),
  )

  app.get('/api/admin/login-link-requests/events', admin, (c) =>
    answering(async () => {
      const orgId = scopedOrg(c)
      c.header('cache-control', 'no-store')
      return streamSSE(c, async (stream) => {
        const closed = new Promise<void>((resolve) => stream.onAbort(resolve))
        const unsubscribe = deps.adminArea.pending.subscribe(orgId, (pending) => {
          void stream.writeSSE({ event: 'pending', data: JSON.stringify({ orgId, pending }) })
        })
        try {
          while (!stream.aborted && !stream.closed) {
            await Promise.race([closed, stream.sleep(HEARTBEAT_MS)])
            if (!stream.aborted) await stream.write(': keep-alive\n\n')
          }
        } finally {
          unsubscribe()
        }
      })
    }),
  )

  const decide = (decision: Decision) => (c: Context) =>
    answering(async () => {
      const result = await decideLoginLinkRequest(
        deps,
        c.get('adminAccess'),
        c.req.param('id') ?? '',
        decision,
        requestOrigin(c),
      )
      return c.json(result, 200, NO_STORE)
    })
  app.post('/api/admin/login-link-requests/:id/approve', admin, idempotent, decide('approve'))
  app.post('/api/admin/login-link-requests/:id/reject', admin, idempotent, decide('reject'))
  return app
}
