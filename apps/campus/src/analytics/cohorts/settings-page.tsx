/**
 * The administrators' setting of the small-cohort threshold, `/admin/analytics`: the
 * organisation's own value (empty inherits), the value in force, and the allowed bounds. A form
 * post (same-origin: the app-wide CSRF guard refuses cross-site posts) redirects back with a
 * notice; an out-of-bounds value answers 400 with the form and the field's message.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import { type AdminAccess, orgInScope, requireAdminAccess } from '../../admin-area/access.js'
import { AdminAreaError, validationFailure } from '../../admin-area/errors.js'
import { AdminFrame } from '../../admin-area/pages/frame.js'
import type { CampusDeps } from '../../deps.js'
import { NO_STORE } from '../../web/problem-error.js'
import {
  DEFAULT_MIN_COHORT_SIZE,
  effectiveMinCohortSize,
  MIN_COHORT_SIZE_BOUNDS,
  minCohortSizeField,
  ownMinCohortSize,
  setMinCohortSize,
} from './settings.js'

/** Where the setting lives. */
export const SETTINGS_PATH = '/admin/analytics'

interface SettingsData {
  access: AdminAccess
  orgId: string
  own: number | null
  effective: number
  notice?: { text: string; error: boolean } | undefined
  /** What was typed, echoed into the field after a refusal. */
  typed?: string
}

/** The page. */
export function AnalyticsSettingsPage(props: SettingsData) {
  const { min, max } = MIN_COHORT_SIZE_BOUNDS
  return (
    <AdminFrame
      title="Analytics"
      access={props.access}
      current={SETTINGS_PATH}
      notice={props.notice}
    >
      <h2>Small-cohort suppression</h2>
      <p>
        Cohort pages show no chart and no statistics for a cohort or a group with fewer learners
        than this, and hide a second group where one hidden group could be worked out from the
        total. Empty uses the parent organisation's setting, or {DEFAULT_MIN_COHORT_SIZE}.
      </p>
      <p data-effective={String(props.effective)}>
        In force for {props.orgId}: <strong>{props.effective}</strong>
        {props.own === null ? ' (inherited)' : ' (set here)'}.
      </p>
      <form method="post" action={`${SETTINGS_PATH}?orgId=${encodeURIComponent(props.orgId)}`}>
        <label>
          Smallest cohort shown ({min}–{max}){' '}
          <input
            type="number"
            name="minCohortSize"
            min={min}
            max={max}
            step={1}
            value={props.typed ?? (props.own === null ? '' : String(props.own))}
          />
        </label>{' '}
        <button type="submit">Save</button>
      </form>
    </AdminFrame>
  )
}

async function html(c: Context, page: unknown, status: 200 | 400 = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
}

/** The organisation the setting is about (an administrator's own; an operator's pick). */
function settingOrg(c: Context, access: AdminAccess): string {
  const asked = c.req.query('orgId')
  const orgId = orgInScope(access, asked === '' ? undefined : asked)
  if (orgId === undefined) {
    throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: orgId', {
      errors: [{ field: 'orgId', message: 'is required with the admin token' }],
    })
  }
  return orgId
}

/** The setting's routes. */
export function analyticsSettingsRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const db = deps.database.db
  const admin = requireAdminAccess(deps.adminToken)
  app.onError((error) => {
    if (error instanceof AdminAreaError) return error.response()
    throw error
  })

  const load = async (orgId: string) => {
    const [own, effective] = await Promise.all([
      ownMinCohortSize(db, orgId),
      effectiveMinCohortSize(db, orgId),
    ])
    if (own === undefined) throw new AdminAreaError('E_NOT_FOUND', 404, 'organisation not found')
    return { own, effective }
  }

  app.get(SETTINGS_PATH, admin, async (c) => {
    const access = c.get('adminAccess')
    const orgId = settingOrg(c, access)
    const saved = c.req.query('notice') === 'saved'
    return html(
      c,
      <AnalyticsSettingsPage
        access={access}
        orgId={orgId}
        {...(await load(orgId))}
        notice={saved ? { text: 'Saved.', error: false } : undefined}
      />,
    )
  })

  app.post(SETTINGS_PATH, admin, async (c) => {
    const access = c.get('adminAccess')
    const orgId = settingOrg(c, access)
    const current = await load(orgId)
    const form = await c.req.parseBody()
    const typed = typeof form.minCohortSize === 'string' ? form.minCohortSize.trim() : undefined
    const parsed = minCohortSizeField.safeParse(typed)
    if (!parsed.success) {
      const failure = validationFailure(parsed.error)
      const message = failure.errors[0]?.message ?? 'is invalid'
      return html(
        c,
        <AnalyticsSettingsPage
          access={access}
          orgId={orgId}
          {...current}
          typed={typed ?? ''}
          notice={{ text: `minCohortSize ${message}.`, error: true }}
        />,
        400,
      )
    }
    await setMinCohortSize(db, orgId, parsed.data)
    return c.redirect(`${SETTINGS_PATH}?${new URLSearchParams({ orgId, notice: 'saved' })}`, 303)
  })
  return app
}
