/**
 * `Idempotency-Key` on the admin area's POSTs (satchel's IETF-draft semantics): a retry with the
 * same key and payload replays the first answer (`Idempotent-Replayed: true`), the same key with
 * another payload is 422, the same key still running is 409. Records belong to the caller's
 * organisation and principal, so no administrator can replay another's answer. When Redis is
 * down the POST runs unrecorded (the decision's own guards still hold).
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import type { Idempotency } from 'satchel'
import { honoIdempotency, type IdempotencyIdentity } from 'satchel/http'

// The identity comes from the admin-access middleware, which ran on the same Request object.
const identities = new WeakMap<Request, IdempotencyIdentity>()

/**
 * Middleware for an admin POST; mount it after `requireAdminAccess` and before anything that
 * reads the body.
 */
export function adminIdempotency(idem: Idempotency): MiddlewareHandler {
  const guard = honoIdempotency(idem, {
    identify: (request) => identities.get(request) ?? { principal: 'anonymous' },
  })
  return async (c, next) => {
    const access = c.get('adminAccess')
    identities.set(c.req.raw, {
      ...(access.orgId === null ? {} : { orgId: access.orgId }),
      principal: access.caller,
    })
    await guard(c, next)
  }
}
