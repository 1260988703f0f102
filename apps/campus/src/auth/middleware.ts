/**
 * The one org-context resolver and the guards built on it. Every feature that needs the tenant
 * (pages, caching, rate limits, the session index, counters, idempotency) calls
 * {@link resolveOrgContext}; it reads the session cookie once per request (memoised with
 * satchel's `requestScope`) and answers the organisation and principal the session acts as.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import { requestScope } from 'satchel'
import { problemResponse } from 'satchel/http'
import { sessionTokenOf } from './cookie.js'
import { NO_STORE } from './errors.js'
import type { CampusRole, OrgContext } from './principal.js'
import type { AuthRuntime } from './runtime.js'
import type { SessionRecord } from './sessions.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The sign-in layer, set on every request by {@link campusRequest}. */
    campusAuth: AuthRuntime
  }
}

const ORG_CONTEXT_KEY = 'auth:org-context'

/**
 * The app-wide middleware every request passes first: opens the request scope (one load per
 * key per request for the session, the org context and course bundles) and makes the sign-in
 * layer and trusted proxies reachable from the context.
 *
 * @example app.use('*', campusRequest(deps.auth))
 */
export function campusRequest(auth: AuthRuntime): MiddlewareHandler {
  return (c, next) =>
    requestScope.run(() => {
      c.set('campusAuth', auth)
      c.set('trustedProxies', auth.trustedProxies)
      return next()
    })
}

/** The org context a session record stands for. */
export function orgContextOf(session: SessionRecord): OrgContext {
  return {
    orgId: session.orgId,
    sessionId: session.id,
    principal: {
      userId: session.userId,
      orgId: session.orgId,
      role: session.role,
      email: session.email,
      name: session.name,
      operator: session.operator,
    },
  }
}

/**
 * The organisation and principal of the request's session, or null when it carries no live
 * session (none, expired, revoked, or the account disabled). Looked up once per request;
 * revocation in any instance is seen on the next request.
 *
 * @example
 * const ctx = await resolveOrgContext(c)
 * if (!ctx) return c.redirect('/login')
 * const key = satchel.keys.org(ctx.orgId).key('reports')
 */
export function resolveOrgContext(c: Context): Promise<OrgContext | null> {
  return requestScope.memo(ORG_CONTEXT_KEY, async () => {
    const auth = c.get('campusAuth')
    const token = sessionTokenOf(c)
    if (!auth || !token) return null
    const session = await auth.sessions.lookup(token)
    return session ? orgContextOf(session) : null
  })
}

/** Forgets this request's memoised org context (after signing in or out within it). */
export function forgetOrgContext(): void {
  requestScope.forget(ORG_CONTEXT_KEY)
}

function wantsPage(c: Context): boolean {
  return !c.req.path.startsWith('/api/')
}

function unauthenticated(): Response {
  return problemResponse(
    {
      title: 'Unauthorized',
      status: 401,
      detail: 'Sign in to continue.',
      code: 'E_UNAUTHENTICATED',
    },
    NO_STORE,
  )
}

function signInRedirect(c: Context): Response {
  const url = new URL(c.req.url)
  const next = `${url.pathname}${url.search}`
  return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303)
}

/**
 * Lets signed-in requests through; others get 401 problem+json under `/api`, and a redirect to
 * `/login` (returning here afterwards) for pages.
 * @example app.get('/account', requireSignIn(), accountPage)
 */
export function requireSignIn(): MiddlewareHandler {
  return async (c, next) => {
    const ctx = await resolveOrgContext(c)
    if (!ctx) return wantsPage(c) ? signInRedirect(c) : unauthenticated()
    await next()
  }
}

/**
 * Lets through sessions acting in one of `roles`; signed-out requests are treated as by
 * {@link requireSignIn}, signed-in ones with another role get 403 problem+json.
 * @example app.get('/api/admin/outbox', requireRole('administrator'), outbox)
 */
export function requireRole(...roles: CampusRole[]): MiddlewareHandler {
  return async (c, next) => {
    const ctx = await resolveOrgContext(c)
    if (!ctx) return wantsPage(c) ? signInRedirect(c) : unauthenticated()
    if (!roles.includes(ctx.principal.role)) {
      return problemResponse(
        {
          title: 'Forbidden',
          status: 403,
          detail: `This needs the role ${roles.join(' or ')}.`,
          code: 'E_FORBIDDEN',
        },
        NO_STORE,
      )
    }
    await next()
  }
}
