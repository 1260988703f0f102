/**
 * The tenants page: an organisation's tenants (external LMSs and other organisations that
 * receive dispatches) and the form creating one.
 *
 * @module
 */
import type { AdminAccess } from '../../admin-area/access.js'
import { AdminFrame } from '../../admin-area/pages/frame.js'
import { OrgPicker } from '../../admin-area/pages/org-picker.js'
import type { TenantView } from '../types.js'
import { TenantForm } from './forms.js'

/** Data of {@link TenantsPage}. */
export interface TenantsPageData {
  access: AdminAccess
  orgId: string
  orgs: readonly { id: string; name: string }[]
  tenants: readonly TenantView[]
  notice?: { text: string; error: boolean } | undefined
}

/** The page. */
export function TenantsPage({ data }: { data: TenantsPageData }) {
  const q = `?orgId=${encodeURIComponent(data.orgId)}`
  return (
    <AdminFrame title="Tenants" access={data.access} current="/admin/tenants" notice={data.notice}>
      <OrgPicker access={data.access} action="/admin/tenants" orgs={data.orgs} orgId={data.orgId} />
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Kind</th>
            <th scope="col">Domains</th>
            <th scope="col">Cap</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.tenants.map((t) => (
            <tr data-tenant-id={t.id}>
              <td>
                <a href={`/admin/tenants/${t.id}${q}`}>{t.name}</a>
              </td>
              <td>{t.kind === 'lms' ? 'LMS' : `organisation ${t.targetOrgId ?? ''}`}</td>
              <td>{t.allowedDomains.join(', ')}</td>
              <td>{t.registrationCap ?? '—'}</td>
              <td>{t.expiresAt ? t.expiresAt.toISOString() : 'never'}</td>
              <td>{t.enabled ? 'enabled' : 'disabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New tenant</h2>
      <TenantForm action={`/admin/tenants${q}`} />
    </AdminFrame>
  )
}
