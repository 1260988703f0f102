/**
 * Who may use the admin area, and on which organisations:
 *
 * - an **operator** acts campus-wide: the holder of `ADMIN_TOKEN` (Bearer, for scripts and the
 *   JSON APIs) or a signed-in administrator of the top-level organisation (`principal.operator`);
 * - an **organisation administrator** (a session acting as `administrator` in a school) sees and
 *   acts on their organisation only. Anything of another organisation answers 404, exactly as
 *   if it did not exist, so ids of other tenants cannot even be confirmed.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import { checkAdminToken, refusal } from '../admin/auth.js'
import { resolveOrgContext } from '../auth/middleware.js'
import { AdminAreaError } from './errors.js'

/** The admin area's view of the caller. */
export type AdminAccess =
  | {
      readonly kind: 'operator'
      /** The signed-in operator, or null for the admin-token holder. */
      readonly userId: string | null
      /** The organisation the operator's session acts in, null for the token. */
      readonly orgId: string | null
      /** Bounded identity for quotas and idempotency records. */
      readonly caller: string
    }
  | {
      readonly kind: 'org-admin'
      readonly userId: string
      readonly orgId: string
      readonly caller: string
    }

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by {@link requireAdminAccess}. */
    adminAccess: AdminAccess
    /** The caller's quota identity (cache-clear limit). */
    adminCaller: string
  }
}

/** Whether `access` may see rows of `orgId`. */
export function canSeeOrg(access: AdminAccess, orgId: string): boolean {
  return access.kind === 'operator' || access.orgId === orgId
}

/**
 * The organisation a request is about: an organisation administrator's own, whatever they ask
 * for (asking for another → 404); an operator's from `requested`, else their session's.
 * Undefined only for the token holder who named none.
 */
export function orgInScope(access: AdminAccess, requested: string | undefined): string | undefined {
  if (access.kind === 'org-admin') {
    if (requested !== undefined && requested !== access.orgId) {
      throw new AdminAreaError(
        'E_NOT_FOUND',
        404,
        `organisation ${JSON.stringify(requested)} not found`,
      )
    }
    return access.orgId
  }
  return requested ?? access.orgId ?? undefined
}

/** The access of a request, or the response refusing it. */
export async function resolveAdminAccess(
  c: Context,
  token: string | undefined,
): Promise<AdminAccess | Response> {
  // A Bearer header means a script: the token decides, the cookie is not consulted.
  if (c.req.header('authorization') !== undefined) {
    const verdict = checkAdminToken(c.req.header('authorization'), token)
    if (verdict !== 'ok') return refusal(verdict)
    return { kind: 'operator', userId: null, orgId: null, caller: 'operator:admin-token' }
  }
  const ctx = await resolveOrgContext(c)
  const page = !c.req.path.startsWith('/api/')
  if (!ctx) {
    if (page) {
      const url = new URL(c.req.url)
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303)
    }
    return new AdminAreaError('E_UNAUTHENTICATED', 401, 'Sign in as an administrator.').response()
  }
  const { principal } = ctx
  if (principal.operator) {
    return {
      kind: 'operator',
      userId: principal.userId,
      orgId: ctx.orgId,
      caller: `user:${principal.userId}`,
    }
  }
  if (principal.role === 'administrator') {
    return {
      kind: 'org-admin',
      userId: principal.userId,
      orgId: ctx.orgId,
      caller: `user:${principal.userId}`,
    }
  }
  return new AdminAreaError('E_FORBIDDEN', 403, 'This needs the administrator role.').response()
}

/**
 * Middleware admitting administrators (see the module comment); `operatorOnly` narrows it to
 * campus-wide operators (cache clearing, which reaches every tenant's keys).
 */
export function requireAdminAccess(
  token: string | undefined,
  options: { operatorOnly?: boolean } = {},
): MiddlewareHandler {
  return async (c, next) => {
    const access = await resolveAdminAccess(c, token)
    if (access instanceof Response) return access
    if (options.operatorOnly && access.kind !== 'operator') {
      return new AdminAreaError('E_FORBIDDEN', 403, 'Only campus operators may do this.').response()
    }
    c.set('adminAccess', access)
    c.set('adminCaller', access.caller)
    await next()
  }
}
