/**
 * The organisation picker operators see on org-scoped admin pages (administrators of one
 * organisation never get it: their pages are fixed to their own).
 *
 * @module
 */
import type { AdminAccess } from '../access.js'

/** A GET form back to `action` with the chosen `orgId`; nothing for an org administrator. */
export function OrgPicker(props: {
  access: AdminAccess
  action: string
  orgs: readonly { id: string; name: string }[]
  orgId: string | undefined
}) {
  if (props.access.kind !== 'operator') return null
  return (
    <form method="get" action={props.action}>
      <label class="field">
        Organisation{' '}
        <select name="orgId">
          {props.orgs.map((o) => (
            <option value={o.id} selected={o.id === props.orgId}>
              {o.name}
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="secondary">
          Show
        </button>
      </label>
    </form>
  )
}
