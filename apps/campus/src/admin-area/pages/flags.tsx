/**
 * The feature-flag state page: each capability in rollout order, on or off in this instance
 * (`SATCHEL_FLAGS`), and what campus does with it off.
 *
 * @module
 */
import type { AdminAccess } from '../access.js'
import type { flagStates } from '../flags.js'
import { AdminFrame } from './frame.js'

/** The page. */
export function FlagsPage(props: { access: AdminAccess; flags: ReturnType<typeof flagStates> }) {
  return (
    <AdminFrame title="Flags" access={props.access} current="/admin/flags">
      <p>
        Set with <code>SATCHEL_FLAGS</code> at start (for example <code>-locking</code> turns one
        off). Roll out in this order; docs/operations.md says what to watch at each step and when to
        roll back.
      </p>
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Flag</th>
            <th scope="col">State</th>
            <th scope="col">What it does</th>
            <th scope="col">With it off</th>
          </tr>
        </thead>
        <tbody>
          {props.flags.map((f) => (
            <tr data-flag={f.name}>
              <td>{String(f.step)}</td>
              <td>
                <code>{f.name}</code>
              </td>
              <td data-state={f.enabled ? 'on' : 'off'}>{f.enabled ? 'on' : 'off'}</td>
              <td>{f.what}</td>
              <td>{f.whenOff}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminFrame>
  )
}
