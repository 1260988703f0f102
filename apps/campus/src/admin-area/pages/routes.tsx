/**
 * The admin area's pages under `/admin`: login-link requests (live count), users, and for
 * campus operators the cache dashboard, flags and cache clearing. Form posts redirect back
 * (303) with a notice chosen from a fixed list, so nothing from the request is echoed.
 *
 * @module
 */
import { asc, inArray } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { rateLimitHeaders } from 'satchel/http'
import { orgs } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { type AdminAccess, orgInScope, requireAdminAccess } from '../access.js'
import { describeClear, parseClearForm, runClear } from '../cache/clear.js'
import { keyFamilies } from '../cache/key-families.js'
import { AdminAreaError } from '../errors.js'
import { flagStates } from '../flags.js'
import { type Decision, decideLoginLinkRequest } from '../login-links/decide.js'
import { listLoginLinkRequests } from '../login-links/queries.js'
import { requestOrigin } from '../login-links/routes.js'
import { listUsers, revokeSessions, setDisabled } from '../users/users.js'
import { CachePage } from './cache.js'
import { ClearConfirmPage, ClearFormPage } from './clear.js'
import { FlagsPage } from './flags.js'
import { RequestsPage } from './requests.js'
import { UsersPage } from './users.js'

/** Notices a redirect may carry (`?notice=`); anything else shows nothing. */
const NOTICES: Record<string, string> = {
  approved: 'Approved: the login link was mailed.',
  rejected: 'Rejected.',
  disabled: 'Account disabled and signed out everywhere.',
  enabled: 'Account enabled.',
  'signed-out': 'Signed out everywhere.',
}

/** Error notices (`?error=<code>`). */
const ERRORS: Record<string, string> = {
  E_DECISION_IN_PROGRESS: 'Another administrator is deciding this request right now.',
  E_ALREADY_DECIDED: 'This request was decided already.',
  E_NO_ACCOUNT: 'No account has this email; reject the request instead.',
  E_MAIL_FAILED: 'The login link could not be mailed; the request is pending again.',
  E_NOT_FOUND: 'Not found.',
  E_FORBIDDEN: 'You cannot manage this person here.',
}

function noticeOf(c: Context): { text: string; error: boolean } | undefined {
  const notice = NOTICES[c.req.query('notice') ?? '']
  if (notice) return { text: notice, error: false }
  const error = ERRORS[c.req.query('error') ?? '']
  return error ? { text: error, error: true } : undefined
}

const NO_STORE = { 'cache-control': 'no-store' }

async function html(c: Context, page: unknown, status: 200 | 400 | 429 | 503 = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
}

/** Organisations an operator may pick (districts and schools), by id. */
async function pickableOrgs(deps: CampusDeps): Promise<{ id: string; name: string }[]> {
  return deps.database.db
    .select({ id: orgs.sourcedId, name: orgs.name })
    .from(orgs)
    .where(inArray(orgs.type, ['district', 'school']))
    .orderBy(asc(orgs.sourcedId))
}

/** The organisation a page shows: an administrator's own; an operator's pick (or the first). */
async function pageOrg(
  c: Context,
  deps: CampusDeps,
  access: AdminAccess,
): Promise<{ orgId: string; choices: { id: string; name: string }[] }> {
  const asked = c.req.query('orgId')
  const orgId = orgInScope(access, asked === '' ? undefined : asked)
  if (access.kind !== 'operator') return { orgId: orgId ?? access.orgId, choices: [] }
  const choices = await pickableOrgs(deps)
  const known = choices.find((o) => o.id === orgId)
  if (asked && !known) throw new AdminAreaError('E_NOT_FOUND', 404, 'organisation not found')
  // Schools receive requests; the district is the default only when it is all there is.
  const fallback = choices.find((o) => o.id !== access.orgId) ?? choices[0]
  return { orgId: known?.id ?? fallback?.id ?? '', choices }
}

/** Bucket bounds of `campus_bundle_bytes` as bars ("≤ 64 KiB": bundles built in that size). */
async function bundleSizes(deps: CampusDeps) {
  const metric = await deps.content.metrics.bundleBytes.get()
  const buckets = metric.values
    .filter((v) => v.metricName === 'campus_bundle_bytes_bucket')
    // The histogram has no labels of its own; prom-client adds `le` to its buckets.
    .map((v) => ({ le: String((v.labels as Record<string, unknown>).le), count: v.value }))
  let previous = 0
  return buckets.map(({ le, count }) => {
    const bar = {
      label: le === '+Inf' ? '> 4 MiB' : `≤ ${Math.round(Number(le) / 1024)} KiB`,
      value: count - previous,
    }
    previous = count
    return bar
  })
}

/** The admin pages. */
export function adminPageRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  const operator = requireAdminAccess(deps.adminToken, { operatorOnly: true })

  // A refused page action (another org's id, a user out of scope) becomes a notice, not a trace.
  app.onError((error) => {
    if (error instanceof AdminAreaError) return error.response()
    throw error
  })

  app.get('/admin', admin, (c) => c.redirect('/admin/login-link-requests', 303))

  app.get('/admin/login-link-requests', admin, async (c) => {
    const access = c.get('adminAccess')
    const { orgId, choices } = await pageOrg(c, deps, access)
    const [pending, requests] = await Promise.all([
      deps.adminArea.pending.get(orgId),
      listLoginLinkRequests(deps.database.db, { orgId, status: 'pending', limit: 100 }),
    ])
    return html(
      c,
      <RequestsPage
        data={{ access, orgId, orgs: choices, pending, requests, notice: noticeOf(c) }}
      />,
    )
  })

  const decide = (decision: Decision) => async (c: Context) => {
    const access = c.get('adminAccess')
    const back = new URLSearchParams({ orgId: c.req.query('orgId') ?? '' })
    try {
      await decideLoginLinkRequest(
        deps,
        access,
        c.req.param('id') ?? '',
        decision,
        requestOrigin(c),
      )
      back.set('notice', decision === 'approve' ? 'approved' : 'rejected')
    } catch (error) {
      if (!(error instanceof AdminAreaError)) throw error
      back.set('error', error.code)
    }
    return c.redirect(`/admin/login-link-requests?${back}`, 303)
  }
  app.post('/admin/login-link-requests/:id/approve', admin, decide('approve'))
  app.post('/admin/login-link-requests/:id/reject', admin, decide('reject'))

  app.get('/admin/users', admin, async (c) => {
    const access = c.get('adminAccess')
    const { orgId, choices } = await pageOrg(c, deps, access)
    const users = await listUsers(deps.database.db, orgId, 200)
    return html(
      c,
      <UsersPage data={{ access, orgId, orgs: choices, users, notice: noticeOf(c) }} />,
    )
  })

  const userAction =
    (action: 'disable' | 'enable' | 'revoke-sessions', notice: string) => async (c: Context) => {
      const access = c.get('adminAccess')
      const id = c.req.param('id') ?? ''
      const back = new URLSearchParams({ orgId: c.req.query('orgId') ?? '' })
      try {
        if (action === 'revoke-sessions') await revokeSessions(deps, access, id)
        else await setDisabled(deps, access, id, action === 'disable')
        back.set('notice', notice)
      } catch (error) {
        if (!(error instanceof AdminAreaError)) throw error
        back.set('error', error.code)
      }
      return c.redirect(`/admin/users?${back}`, 303)
    }
  app.post('/admin/users/:id/disable', admin, userAction('disable', 'disabled'))
  app.post('/admin/users/:id/enable', admin, userAction('enable', 'enabled'))
  app.post('/admin/users/:id/revoke-sessions', admin, userAction('revoke-sessions', 'signed-out'))

  app.get('/admin/cache', operator, async (c) => {
    deps.adminArea.statsHistory.sample()
    const [health, families, sizes] = await Promise.all([
      deps.satchel.health(),
      keyFamilies(deps.satchel, deps.satchel.keys.prefix),
      bundleSizes(deps),
    ])
    return html(
      c,
      <CachePage
        data={{
          access: c.get('adminAccess'),
          stats: deps.satchel.stats(),
          health,
          samples: deps.adminArea.statsHistory.samples(),
          families,
          bundleSizes: sizes,
        }}
      />,
    )
  })

  app.get('/admin/flags', operator, (c) =>
    html(
      c,
      <FlagsPage
        access={c.get('adminAccess')}
        flags={flagStates((name) => deps.satchel.flags.enabled(name))}
      />,
    ),
  )

  const prefix = deps.satchel.keys.prefix
  app.get('/admin/cache/clear', operator, (c) =>
    html(c, <ClearFormPage access={c.get('adminAccess')} prefix={prefix} />),
  )
  app.post('/admin/cache/clear', operator, async (c) => {
    const access = c.get('adminAccess')
    const form = await c.req.parseBody()
    try {
      const request = parseClearForm(form, prefix)
      return html(
        c,
        <ClearConfirmPage
          access={access}
          by={request.by}
          value={String(form.value ?? '')}
          description={describeClear(request)}
        />,
      )
    } catch (error) {
      if (!(error instanceof AdminAreaError)) throw error
      const text = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || error.message
      return html(
        c,
        <ClearFormPage access={access} prefix={prefix} notice={{ text, error: true }} />,
        400,
      )
    }
  })
  app.post('/admin/cache/clear/confirm', operator, async (c) => {
    const access = c.get('adminAccess')
    const limiter = deps.adminArea.cacheClearLimiter
    const decision = await limiter.limit(access.caller)
    const headers = Object.fromEntries(rateLimitHeaders(decision, limiter))
    if (!decision.success) {
      const text = `Too many clears; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.`
      c.header('retry-after', headers['retry-after'] ?? '60')
      return html(
        c,
        <ClearFormPage access={access} prefix={prefix} notice={{ text, error: true }} />,
        429,
      )
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value)
    const form = await c.req.parseBody()
    try {
      const request = parseClearForm(form, prefix)
      const { removed } = await runClear(deps, request)
      const text = `${describeClear(request)} Done: ${removed} removed.`
      return html(
        c,
        <ClearFormPage access={access} prefix={prefix} notice={{ text, error: false }} />,
      )
    } catch (error) {
      if (!(error instanceof AdminAreaError)) throw error
      const text = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || error.message
      return html(
        c,
        <ClearFormPage access={access} prefix={prefix} notice={{ text, error: true }} />,
        error.status === 503 ? 503 : 400,
      )
    }
  })
  return app
}
