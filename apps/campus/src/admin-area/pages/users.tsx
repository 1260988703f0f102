/**
 * The users page: an organisation's members with Disable / Enable and Sign out everywhere.
 *
 * @module
 */
import type { AdminAccess } from '../access.js'
import type { UserView } from '../users/users.js'
import { AdminFrame } from './frame.js'
import { OrgPicker } from './org-picker.js'

/** Data of {@link UsersPage}. */
export interface UsersPageData {
  access: AdminAccess
  orgId: string
  orgs: readonly { id: string; name: string }[]
  users: readonly UserView[]
  notice?: { text: string; error: boolean } | undefined
}

/** The page. */
export function UsersPage({ data }: { data: UsersPageData }) {
  const back = `?orgId=${encodeURIComponent(data.orgId)}`
  return (
    <AdminFrame title="Users" access={data.access} current="/admin/users" notice={data.notice}>
      <OrgPicker access={data.access} action="/admin/users" orgs={data.orgs} orgId={data.orgId} />
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {data.users.map((u) => (
            <tr data-user-id={u.id}>
              <td>{u.name}</td>
              <td>{u.email ?? ''}</td>
              <td>{u.roles.join(', ')}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>
                <form
                  method="post"
                  action={`/admin/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}${back}`}
                >
                  <button type="submit" class={u.disabled ? 'secondary' : 'danger'}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                </form>{' '}
                <form
                  method="post"
                  action={`/admin/users/${encodeURIComponent(u.id)}/revoke-sessions${back}`}
                >
                  <button type="submit" class="secondary">
                    Sign out everywhere
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminFrame>
  )
}
