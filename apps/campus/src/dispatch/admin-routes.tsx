/**
 * The admin pages of tenants and dispatches under `/admin/tenants` and `/admin/dispatches`,
 * for administrators (an organisation's own rows only) and campus operators (any
 * organisation, picked with `?orgId=`), through the admin area's access check. Form posts are
 * CSRF-checked by the app and redirect back (303) with a notice from a fixed list; a form
 * with invalid fields is shown again (400) with every problem named.
 *
 * @module
 */
import { asc, inArray } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { type AdminAccess, orgInScope, requireAdminAccess } from '../admin-area/access.js'
import { AdminAreaError } from '../admin-area/errors.js'
import { orgs } from '../db/schema.js'
import type { CampusDeps } from '../deps.js'
import { DISPATCH_LIST_FILTERS, type DispatchListFilter } from './cache.js'
import { listCourses } from './courses.js'
import { DispatchError, dispatchNotFound, dispatchValidationError } from './errors.js'
import {
  createDispatch,
  createTenant,
  mintDispatchKey,
  revokeDispatchKeys,
  updateDispatch,
  updateTenant,
} from './manage.js'
import { DISPATCH_PACKAGE_VERSIONS, type DispatchPackageVersion } from './manifest.js'
import { buildDispatchPackage } from './package.js'
import { DashboardPage } from './pages/dashboard.js'
import { DispatchPage } from './pages/dispatch.js'
import { TenantPage } from './pages/tenant.js'
import { TenantsPage } from './pages/tenants.js'
import type { DispatchRuntime } from './runtime.js'
import {
  dispatchFormInput,
  dispatchInputSchema,
  tenantFormInput,
  tenantInputSchema,
} from './schemas.js'
import { loadTenants } from './store.js'

const NO_STORE = { 'cache-control': 'no-store' }

const NOTICES: Record<string, string> = {
  'tenant-created': 'Tenant created.',
  'tenant-saved': 'Tenant saved.',
  'dispatch-created': 'Dispatch created.',
  'dispatch-saved': 'Dispatch saved.',
  'keys-revoked': 'Every key of this dispatch was revoked.',
}

type Notice = { text: string; error: boolean } | undefined

function noticeOf(c: Context): Notice {
  const text = NOTICES[c.req.query('notice') ?? '']
  return text ? { text, error: false } : undefined
}

function errorNotice(error: DispatchError): Notice {
  const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
  return { text: fields || error.message, error: true }
}

async function html(c: Context, page: unknown, status: 200 | 400 | 409 = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
}

/** The organisation a request acts in (see `orgInScope`); 404 for the token holder naming none. */
function orgOf(c: Context): { access: AdminAccess; orgId: string } {
  const access = c.get('adminAccess')
  const asked = c.req.query('orgId')
  const orgId = orgInScope(access, asked === '' ? undefined : asked)
  if (!orgId) throw new AdminAreaError('E_NOT_FOUND', 404, 'name an organisation (?orgId=)')
  return { access, orgId }
}

/** The admin pages of tenants and dispatches. */
export function dispatchAdminRoutes(deps: CampusDeps, rt: DispatchRuntime): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  app.onError((error) => {
    if (error instanceof AdminAreaError || error instanceof DispatchError) return error.response()
    throw error
  })

  const pickable = () =>
    deps.database.db
      .select({ id: orgs.sourcedId, name: orgs.name })
      .from(orgs)
      .where(inArray(orgs.type, ['district', 'school']))
      .orderBy(asc(orgs.sourcedId))

  const tenantsPage = async (c: Context, notice: Notice, status: 200 | 400 | 409 = 200) => {
    const { access, orgId } = orgOf(c)
    const [tenants, choices] = await Promise.all([
      loadTenants(rt.db, orgId),
      access.kind === 'operator' ? pickable() : Promise.resolve([]),
    ])
    return html(c, <TenantsPage data={{ access, orgId, orgs: choices, tenants, notice }} />, status)
  }
  app.get('/admin/tenants', admin, (c) => tenantsPage(c, noticeOf(c)))
  app.post('/admin/tenants', admin, async (c) => {
    const { orgId } = orgOf(c)
    const parsed = tenantInputSchema.safeParse(tenantFormInput(await c.req.parseBody()))
    try {
      if (!parsed.success) throw dispatchValidationError(parsed.error)
      const tenant = await createTenant(rt, orgId, parsed.data)
      const q = new URLSearchParams({ orgId, notice: 'tenant-created' })
      return c.redirect(`/admin/tenants/${tenant.id}?${q}`, 303)
    } catch (error) {
      if (!(error instanceof DispatchError)) throw error
      return tenantsPage(c, errorNotice(error), error.status === 409 ? 409 : 400)
    }
  })

  const tenantPage = async (c: Context, notice: Notice, status: 200 | 400 | 409 = 200) => {
    const { access, orgId } = orgOf(c)
    const tenant = await rt.cache.tenant(orgId, c.req.param('id') ?? '')
    if (!tenant) throw dispatchNotFound('tenant')
    const asked = c.req.query('status') ?? 'all'
    const filter: DispatchListFilter = (DISPATCH_LIST_FILTERS as readonly string[]).includes(asked)
      ? (asked as DispatchListFilter)
      : 'all'
    const [dispatches, courses] = await Promise.all([
      rt.cache.dispatchList(orgId, tenant.id, filter),
      listCourses(rt.db, orgId),
    ])
    return html(
      c,
      <TenantPage data={{ access, orgId, tenant, dispatches, filter, courses, notice }} />,
      status,
    )
  }
  app.get('/admin/tenants/:id{[0-9a-f-]{36}}', admin, (c) => tenantPage(c, noticeOf(c)))
  app.post('/admin/tenants/:id{[0-9a-f-]{36}}', admin, async (c) => {
    const { orgId } = orgOf(c)
    const id = c.req.param('id')
    const parsed = tenantInputSchema.safeParse(tenantFormInput(await c.req.parseBody()))
    try {
      if (!parsed.success) throw dispatchValidationError(parsed.error)
      await updateTenant(rt, orgId, id, parsed.data)
      return c.redirect(
        `/admin/tenants/${id}?${new URLSearchParams({ orgId, notice: 'tenant-saved' })}`,
        303,
      )
    } catch (error) {
      if (!(error instanceof DispatchError) || error.code === 'E_NOT_FOUND') throw error
      return tenantPage(c, errorNotice(error), error.status === 409 ? 409 : 400)
    }
  })
  app.post('/admin/tenants/:id{[0-9a-f-]{36}}/dispatches', admin, async (c) => {
    const { orgId } = orgOf(c)
    const parsed = dispatchInputSchema.safeParse(dispatchFormInput(await c.req.parseBody()))
    try {
      if (!parsed.success) throw dispatchValidationError(parsed.error)
      if (parsed.data.tenantId !== c.req.param('id')) throw dispatchNotFound('tenant')
      const dispatch = await createDispatch(rt, orgId, parsed.data)
      const q = new URLSearchParams({ orgId, notice: 'dispatch-created' })
      return c.redirect(`/admin/dispatches/${dispatch.id}?${q}`, 303)
    } catch (error) {
      if (!(error instanceof DispatchError) || error.code === 'E_NOT_FOUND') throw error
      return tenantPage(c, errorNotice(error), 400)
    }
  })

  app.get('/admin/tenants/:id{[0-9a-f-]{36}}/dashboard', admin, async (c) => {
    const { access, orgId } = orgOf(c)
    const tenant = await rt.cache.tenant(orgId, c.req.param('id'))
    if (!tenant) throw dispatchNotFound('tenant')
    const stats = await rt.cache.dashboard(orgId, tenant.id)
    return html(c, <DashboardPage data={{ access, orgId, tenant, stats }} />)
  })
  app.get('/api/admin/tenants/:id{[0-9a-f-]{36}}/dashboard', admin, async (c) => {
    const { orgId } = orgOf(c)
    const tenant = await rt.cache.tenant(orgId, c.req.param('id'))
    if (!tenant) throw dispatchNotFound('tenant')
    return c.json(await rt.cache.dashboard(orgId, tenant.id), 200, NO_STORE)
  })

  const dispatchPage = async (c: Context, notice: Notice, status: 200 | 400 = 200) => {
    const { access, orgId } = orgOf(c)
    const dispatch = await rt.cache.dispatch(orgId, c.req.param('id') ?? '')
    const tenant = dispatch ? await rt.cache.tenant(orgId, dispatch.tenantId) : null
    if (!dispatch || !tenant) throw dispatchNotFound('dispatch')
    return html(c, <DispatchPage data={{ access, orgId, tenant, dispatch, notice }} />, status)
  }
  app.get('/admin/dispatches/:id{[0-9a-f-]{36}}', admin, (c) => dispatchPage(c, noticeOf(c)))
  app.post('/admin/dispatches/:id{[0-9a-f-]{36}}', admin, async (c) => {
    const { orgId } = orgOf(c)
    const id = c.req.param('id')
    const parsed = dispatchInputSchema.safeParse(dispatchFormInput(await c.req.parseBody()))
    try {
      if (!parsed.success) throw dispatchValidationError(parsed.error)
      await updateDispatch(rt, orgId, id, parsed.data)
      return c.redirect(
        `/admin/dispatches/${id}?${new URLSearchParams({ orgId, notice: 'dispatch-saved' })}`,
        303,
      )
    } catch (error) {
      if (!(error instanceof DispatchError) || error.code === 'E_NOT_FOUND') throw error
      return dispatchPage(c, errorNotice(error), 400)
    }
  })
  app.post('/admin/dispatches/:id{[0-9a-f-]{36}}/package', admin, async (c) => {
    const { access, orgId } = orgOf(c)
    const form = await c.req.parseBody()
    const asked = typeof form.version === 'string' ? form.version : '1.2'
    if (!(DISPATCH_PACKAGE_VERSIONS as readonly string[]).includes(asked)) {
      throw new DispatchError('E_VALIDATION', 400, 'Invalid input: version', {
        errors: [{ field: 'version', message: 'must be 1.2 or 2004' }],
      })
    }
    const { dispatch, key } = await mintDispatchKey(rt, orgId, c.req.param('id'), access.userId)
    const zip = buildDispatchPackage({
      dispatchId: dispatch.id,
      title: dispatch.title,
      campusOrigin: new URL(c.req.url).origin,
      key,
      version: asked as DispatchPackageVersion,
    })
    const name = `dispatch-${dispatch.id}-scorm${asked.replace('.', '')}.zip`
    return c.body(zip.slice().buffer, 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${name}"`,
      ...NO_STORE,
    })
  })
  app.post('/admin/dispatches/:id{[0-9a-f-]{36}}/revoke-keys', admin, async (c) => {
    const { orgId } = orgOf(c)
    const id = c.req.param('id')
    const dispatch = await rt.cache.dispatch(orgId, id)
    if (!dispatch) throw dispatchNotFound('dispatch')
    await revokeDispatchKeys(rt, orgId, id)
    return c.redirect(
      `/admin/dispatches/${id}?${new URLSearchParams({ orgId, notice: 'keys-revoked' })}`,
      303,
    )
  })
  return app
}
