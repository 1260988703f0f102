/**
 * Clearing the cache from the admin pages, in two steps: the form, then a confirmation that
 * says exactly what will be removed; only the confirmation's POST clears.
 *
 * @module
 */
import type { AdminAccess } from '../access.js'
import { AdminFrame } from './frame.js'

/** The form (step 1). */
export function ClearFormPage(props: {
  access: AdminAccess
  prefix: string
  notice?: { text: string; error: boolean } | undefined
}) {
  return (
    <AdminFrame
      title="Clear cache"
      access={props.access}
      current="/admin/cache/clear"
      notice={props.notice}
    >
      <form method="post" action="/admin/cache/clear">
        <fieldset>
          <legend>What to clear</legend>
          <label class="choice">
            <input type="radio" name="by" value="pattern" checked /> Key family pattern, as{' '}
            <code>oneroster-course-bundle:*</code>
          </label>
          <label class="choice">
            <input type="radio" name="by" value="key" /> One key, as{' '}
            <code>{`${props.prefix}:o:<org>:…`}</code>
          </label>
          <label class="choice">
            <input type="radio" name="by" value="tag" /> A tag
          </label>
          <label class="choice">
            <input type="radio" name="by" value="all" /> Everything
          </label>
          <label class="field">
            Key, pattern or tag <input type="text" name="value" size={60} />
          </label>
        </fieldset>
        <button type="submit">Continue</button>
      </form>
    </AdminFrame>
  )
}

/** The confirmation (step 2). */
export function ClearConfirmPage(props: {
  access: AdminAccess
  by: string
  value: string
  description: string
}) {
  return (
    <AdminFrame title="Clear cache" access={props.access} current="/admin/cache/clear">
      <h2>Confirm</h2>
      <p data-clear-description="">{props.description}</p>
      <form method="post" action="/admin/cache/clear/confirm">
        <input type="hidden" name="by" value={props.by} />
        <input type="hidden" name="value" value={props.value} />
        <button type="submit" class="danger">
          Yes, clear
        </button>{' '}
        <a href="/admin/cache/clear">Cancel</a>
      </form>
    </AdminFrame>
  )
}
