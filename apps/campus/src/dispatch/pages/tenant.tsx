/**
 * One tenant: its settings, its dispatches (the cached list, filterable) and the form
 * dispatching another package to it.
 *
 * @module
 */
import type { AdminAccess } from '../../admin-area/access.js'
import { AdminFrame } from '../../admin-area/pages/frame.js'
import type { DispatchListFilter } from '../cache.js'
import type { CourseView, DispatchView, TenantView } from '../types.js'
import { DispatchForm, TenantForm } from './forms.js'

/** Data of {@link TenantPage}. */
export interface TenantPageData {
  access: AdminAccess
  orgId: string
  tenant: TenantView
  dispatches: readonly DispatchView[]
  filter: DispatchListFilter
  courses: readonly CourseView[]
  notice?: { text: string; error: boolean } | undefined
}

/** The page. */
export function TenantPage({ data }: { data: TenantPageData }) {
  const q = `?orgId=${encodeURIComponent(data.orgId)}`
  const base = `/admin/tenants/${data.tenant.id}`
  return (
    <AdminFrame
      title={`Tenant ${data.tenant.name}`}
      access={data.access}
      current="/admin/tenants"
      notice={data.notice}
    >
      <p>
        <a href={`/admin/tenants${q}`}>All tenants</a> ·{' '}
        <a href={`${base}/dashboard${q}`}>Dashboard</a>
      </p>
      <h2>Dispatches</h2>
      <form method="get" action={base}>
        <input type="hidden" name="orgId" value={data.orgId} />
        <label class="field">
          Show{' '}
          <select name="status">
            {(['all', 'enabled', 'disabled'] as const).map((f) => (
              <option value={f} selected={f === data.filter}>
                {f}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="secondary">
            Filter
          </button>
        </label>
      </form>
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Dispatch</th>
            <th scope="col">Cap</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.dispatches.map((d) => (
            <tr data-dispatch-id={d.id}>
              <td>
                <a href={`/admin/dispatches/${d.id}${q}`}>{d.title}</a>
              </td>
              <td>{d.registrationCap ?? '—'}</td>
              <td>{d.expiresAt ? d.expiresAt.toISOString() : 'never'}</td>
              <td>{d.enabled ? 'enabled' : 'disabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Dispatch a package</h2>
      {data.courses.length === 0 ? (
        <p>This organisation has no SCORM package yet.</p>
      ) : (
        <DispatchForm
          action={`${base}/dispatches${q}`}
          tenantId={data.tenant.id}
          courses={data.courses}
        />
      )}
      <h2>Settings</h2>
      <TenantForm action={`${base}${q}`} tenant={data.tenant} />
    </AdminFrame>
  )
}
