/**
 * One dispatch: its settings, the package download (each download carries a new key) and the
 * revocation of every key handed out so far.
 *
 * @module
 */
import type { AdminAccess } from '../../admin-area/access.js'
import { AdminFrame } from '../../admin-area/pages/frame.js'
import type { DispatchView, TenantView } from '../types.js'
import { DispatchForm } from './forms.js'

/** Data of {@link DispatchPage}. */
export interface DispatchPageData {
  access: AdminAccess
  orgId: string
  tenant: TenantView
  dispatch: DispatchView
  notice?: { text: string; error: boolean } | undefined
}

/** The page. */
export function DispatchPage({ data }: { data: DispatchPageData }) {
  const q = `?orgId=${encodeURIComponent(data.orgId)}`
  const base = `/admin/dispatches/${data.dispatch.id}`
  return (
    <AdminFrame
      title={`Dispatch ${data.dispatch.title}`}
      access={data.access}
      current="/admin/tenants"
      notice={data.notice}
    >
      <p>
        Tenant <a href={`/admin/tenants/${data.tenant.id}${q}`}>{data.tenant.name}</a>
      </p>
      <h2>Package for the LMS</h2>
      <p>
        Upload this zip to the tenant’s LMS as a SCORM course. Each download carries a new key;
        revoking stops every package downloaded so far.
      </p>
      <form method="post" action={`${base}/package${q}`}>
        <label class="field">
          SCORM version{' '}
          <select name="version">
            <option value="1.2">SCORM 1.2</option>
            <option value="2004">SCORM 2004 4th edition</option>
          </select>
        </label>{' '}
        <button type="submit">Download package</button>
      </form>
      <form method="post" action={`${base}/revoke-keys${q}`}>
        <button type="submit" class="danger">
          Revoke every key
        </button>
      </form>
      <h2>Settings</h2>
      <DispatchForm action={`${base}${q}`} tenantId={data.tenant.id} dispatch={data.dispatch} />
    </AdminFrame>
  )
}
