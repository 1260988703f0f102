/**
 * `GET /api/admin/users` (`?orgId=` for operators, `?limit=`), and
 * `POST /api/admin/users/:id/disable|enable|revoke-sessions` (accept `Idempotency-Key`).
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { CampusDeps } from '../../deps.js'
import { orgInScope, requireAdminAccess } from '../access.js'
import { AdminAreaError, NO_STORE, validationFailure } from '../errors.js'
import { adminIdempotency } from '../idempotency.js'
import { answering } from '../login-links/routes.js'
import { listUsers, revokeSessions, setDisabled } from './users.js'

const listQuery = z.strictObject({
  orgId: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional().default(100),
})

/** The users routes. */
export function userRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  const idempotent = adminIdempotency(deps.adminArea.idempotency)

  app.get('/api/admin/users', admin, (c) =>
    answering(async () => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) throw validationFailure(query.error)
      const orgId = orgInScope(c.get('adminAccess'), query.data.orgId)
      if (orgId === undefined) {
        throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: orgId', {
          errors: [{ field: 'orgId', message: 'name the organisation' }],
        })
      }
      const list = await listUsers(deps.database.db, orgId, query.data.limit)
      return c.json({ orgId, users: list }, 200, NO_STORE)
    }),
  )

  const act = (run: (c: Context, id: string) => Promise<unknown>) => (c: Context) =>
    answering(async () => c.json(await run(c, c.req.param('id') ?? ''), 200, NO_STORE))
  app.post(
    '/api/admin/users/:id/disable',
    admin,
    idempotent,
    act((c, id) => setDisabled(deps, c.get('adminAccess'), id, true)),
  )
  app.post(
    '/api/admin/users/:id/enable',
    admin,
    idempotent,
    act((c, id) => setDisabled(deps, c.get('adminAccess'), id, false)),
  )
  app.post(
    '/api/admin/users/:id/revoke-sessions',
    admin,
    idempotent,
    act((c, id) => revokeSessions(deps, c.get('adminAccess'), id)),
  )
  return app
}
