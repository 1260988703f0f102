/**
 * The tenant and dispatch forms of the admin pages, shared by "create" and "edit". Values are
 * rendered by Hono's JSX, which escapes them; expiry is entered and shown in UTC.
 *
 * @module
 */
import type { CourseView, DispatchView, TenantView } from '../types.js'

function utcInput(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16) : ''
}

/** The tenant form (create when `tenant` is undefined). */
export function TenantForm(props: { action: string; tenant?: TenantView | undefined }) {
  const t = props.tenant
  return (
    <form method="post" action={props.action} class="admin-form">
      <label class="field">
        Name <input name="name" required maxlength={200} value={t?.name ?? ''} />
      </label>
      <label class="field">
        Kind{' '}
        <select name="kind">
          <option value="lms" selected={(t?.kind ?? 'lms') === 'lms'}>
            External LMS
          </option>
          <option value="org" selected={t?.kind === 'org'}>
            Another organisation
          </option>
        </select>
      </label>
      <label class="field">
        Organisation (kind “another organisation”){' '}
        <input name="targetOrgId" value={t?.targetOrgId ?? ''} />
      </label>
      <label class="field">
        Allowed domains (one per line; *.example.edu for subdomains){' '}
        <textarea name="allowedDomains" rows={3} required>
          {(t?.allowedDomains ?? []).join('\n')}
        </textarea>
      </label>
      <label class="field">
        Registration cap (empty: none){' '}
        <input name="registrationCap" inputmode="numeric" value={t?.registrationCap ?? ''} />
      </label>
      <label class="field">
        Expires (UTC, empty: never){' '}
        <input name="expiresAt" type="datetime-local" value={utcInput(t?.expiresAt ?? null)} />
      </label>
      <label class="choice">
        <input type="checkbox" name="enabled" checked={t?.enabled ?? true} /> Enabled
      </label>
      <button type="submit">{t ? 'Save tenant' : 'Create tenant'}</button>
    </form>
  )
}

/** The dispatch form: create (with tenant and package) or edit (`dispatch` given). */
export function DispatchForm(props: {
  action: string
  tenantId: string
  courses?: readonly CourseView[]
  dispatch?: DispatchView | undefined
}) {
  const d = props.dispatch
  return (
    <form method="post" action={props.action} class="admin-form">
      <input type="hidden" name="tenantId" value={props.tenantId} />
      {d ? (
        <input type="hidden" name="packageId" value={d.packageId} />
      ) : (
        <label class="field">
          SCORM package{' '}
          <select name="packageId" required>
            {(props.courses ?? []).map((course) => (
              <option value={course.id}>
                {course.title} (SCORM {course.scormVersion})
              </option>
            ))}
          </select>
        </label>
      )}
      <label class="field">
        Title in the LMS (empty: the package’s){' '}
        <input name="title" maxlength={200} value={d?.title ?? ''} />
      </label>
      <label class="field">
        Registration cap (empty: none){' '}
        <input name="registrationCap" inputmode="numeric" value={d?.registrationCap ?? ''} />
      </label>
      <label class="field">
        Expires (UTC, empty: never){' '}
        <input name="expiresAt" type="datetime-local" value={utcInput(d?.expiresAt ?? null)} />
      </label>
      <label class="choice">
        <input type="checkbox" name="enabled" checked={d?.enabled ?? true} /> Enabled
      </label>
      <button type="submit">{d ? 'Save dispatch' : 'Create dispatch'}</button>
    </form>
  )
}
