/**
 * The IXL import pages: the upload form with the organisation's latest runs, and one run's
 * progress (counters the `admin-ixl-import.js` asset refreshes by polling the run) and problems.
 *
 * @module
 */

import { assetUrl } from '../../web/assets/index.js'
import type { AdminAccess } from '../access.js'
import { AdminFrame } from '../pages/frame.js'
import { OrgPicker } from '../pages/org-picker.js'
import { type ImportRunRow, runProgress } from './runs.js'

/** Data of {@link IxlUploadPage}. */
export interface IxlUploadPageData {
  access: AdminAccess
  orgId: string
  orgs: readonly { id: string; name: string }[]
  runs: readonly ImportRunRow[]
  notice?: { text: string; error: boolean } | undefined
}

/** The upload form and the latest runs. */
export function IxlUploadPage({ data }: { data: IxlUploadPageData }) {
  return (
    <AdminFrame
      title="IXL import"
      access={data.access}
      current="/admin/ixl-import"
      notice={data.notice}
    >
      <OrgPicker
        access={data.access}
        action="/admin/ixl-import"
        orgs={data.orgs}
        orgId={data.orgId}
      />
      <form
        method="post"
        action={`/admin/ixl-import?orgId=${encodeURIComponent(data.orgId)}`}
        enctype="multipart/form-data"
      >
        <label class="field">
          IXL export (CSV) <input type="file" name="file" accept=".csv,text/csv" required />
        </label>
        <label class="field">
          Period (for files without Administration/Year columns){' '}
          <input type="text" name="period" maxlength={40} />
        </label>
        <label class="field">
          <input type="checkbox" name="allowUnmatched" value="1" /> Write the rows that match a
          learner even if some do not
        </label>
        <label class="field">
          <input type="checkbox" name="dryRun" value="1" /> Dry run (check and count, write nothing)
        </label>
        <button type="submit">Import</button>
      </form>
      <h2>Latest IXL imports</h2>
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col">Rows read</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {data.runs.map((r) => (
            <tr>
              <td>
                <a href={`/admin/ixl-import/runs/${r.id}`}>{r.startedAt.toISOString()}</a>
              </td>
              <td>{r.origin}</td>
              <td>{r.status}</td>
              <td>{r.rowsRead}</td>
              <td>{r.problemCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminFrame>
  )
}

const COUNTERS = [
  ['status', 'Status'],
  ['rowsRead', 'Rows read'],
  ['rowsInserted', 'Inserted'],
  ['rowsUpdated', 'Updated'],
  ['rowsUnchanged', 'Unchanged'],
  ['rowsRejected', 'Rejected'],
  ['problemCount', 'Problems'],
  ['filesDone', 'Files done'],
] as const

/** One run: live counters while it runs, then its problems. */
export function ImportRunPage({ access, run }: { access: AdminAccess; run: ImportRunRow }) {
  const progress = runProgress(run)
  return (
    <AdminFrame
      title="Import run"
      access={access}
      current="/admin/ixl-import"
      scripts={[assetUrl('admin-ixl-import.js')]}
    >
      <p class="meta">
        {run.source} · {run.origin} · {run.orgSourcedId} · started {progress.startedAt}
      </p>
      <dl class="import-run" data-import-run={run.id} data-status={run.status}>
        {COUNTERS.map(([key, label]) => (
          <>
            <dt>{label}</dt>
            <dd data-counter={key}>{String(progress[key])}</dd>
          </>
        ))}
        <dt>Rows per second</dt>
        <dd data-counter="rate">–</dd>
      </dl>
      {run.error ? <p class="notice error">{run.error}</p> : null}
      {run.problems.length > 0 ? (
        <>
          <h2>Problems</h2>
          <pre class="problems">{run.problems.join('\n')}</pre>
        </>
      ) : null}
      <p>
        <a href={`/admin/ixl-import?orgId=${encodeURIComponent(run.orgSourcedId ?? '')}`}>
          Back to IXL import
        </a>
      </p>
    </AdminFrame>
  )
}
