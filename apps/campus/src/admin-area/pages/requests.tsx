/**
 * The login-link requests panel: the live pending count (updated by `/assets/admin-live.js`
 * over Server-Sent Events, no reload) and the requests with Approve / Reject buttons.
 *
 * @module
 */
import { assetUrl } from '../../web/assets/index.js'
import type { AdminAccess } from '../access.js'
import type { LoginLinkRequestView } from '../login-links/queries.js'
import { AdminFrame } from './frame.js'
import { OrgPicker } from './org-picker.js'

/** Data of {@link RequestsPage}. */
export interface RequestsPageData {
  access: AdminAccess
  orgId: string
  orgs: readonly { id: string; name: string }[]
  pending: number
  requests: readonly LoginLinkRequestView[]
  notice?: { text: string; error: boolean } | undefined
}

/** The panel. */
export function RequestsPage({ data }: { data: RequestsPageData }) {
  const back = `?orgId=${encodeURIComponent(data.orgId)}`
  return (
    <AdminFrame
      title="Login-link requests"
      access={data.access}
      current="/admin/login-link-requests"
      notice={data.notice}
      scripts={[assetUrl('admin-live.js')]}
    >
      <OrgPicker
        access={data.access}
        action="/admin/login-link-requests"
        orgs={data.orgs}
        orgId={data.orgId}
      />
      <p>
        <span class="badge" data-pending-count="" data-org={data.orgId} aria-live="polite">
          {String(data.pending)}
        </span>{' '}
        pending <span data-pending-plural="">{data.pending === 1 ? 'request' : 'requests'}</span>
      </p>
      {data.requests.length === 0 ? (
        <p>No pending requests.</p>
      ) : (
        <table class="admin">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Email</th>
              <th scope="col">Message</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {data.requests.map((r) => (
              <tr data-request-id={r.id}>
                <td>{r.requestedAt.replace('T', ' ').slice(0, 16)}</td>
                <td>
                  {r.email}
                  {r.hasAccount ? null : <div class="meta">No account has this email.</div>}
                </td>
                <td>{r.message}</td>
                <td>
                  {r.hasAccount ? (
                    <form
                      method="post"
                      action={`/admin/login-link-requests/${r.id}/approve${back}`}
                    >
                      <button type="submit">Approve</button>
                    </form>
                  ) : null}{' '}
                  <form method="post" action={`/admin/login-link-requests/${r.id}/reject${back}`}>
                    <button type="submit" class="secondary">
                      Reject
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminFrame>
  )
}
