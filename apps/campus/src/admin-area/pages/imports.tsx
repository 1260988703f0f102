/**
 * The imports pages: upload a OneRoster zip and see the runs (list), and one run with its
 * progress and every problem kept (detail). Both work without the script for reading; the
 * upload and the live counters need `admin-import.js` (a static asset: the CSP refuses inline
 * scripts).
 *
 * @module
 */
import { assetUrl } from '../../web/assets/index.js'
import type { AdminAccess } from '../access.js'
import { type ImportRunRow, rowsPerSecond } from '../imports/runs.js'
import { UPLOAD_LIMIT_BYTES, UPLOAD_PATH } from '../imports/upload.js'
import { AdminFrame } from './frame.js'

const COUNTERS = [
  ['filesDone', 'Files done'],
  ['rowsRead', 'Rows read'],
  ['rowsPerSecond', 'Rows per second'],
  ['rowsInserted', 'Inserted'],
  ['rowsUpdated', 'Updated'],
  ['rowsUnchanged', 'Unchanged'],
  ['rowsRejected', 'Rejected'],
  ['problemCount', 'Problems'],
] as const

function counter(run: ImportRunRow, key: (typeof COUNTERS)[number][0]): string {
  if (key === 'rowsPerSecond') return String(rowsPerSecond(run))
  if (key === 'filesDone') return `${run.filesDone}/${run.filesTotal}`
  return String(run[key])
}

/** The upload form and the run list. */
export function ImportsPage(props: { access: AdminAccess; runs: readonly ImportRunRow[] }) {
  return (
    <AdminFrame
      title="Imports"
      access={props.access}
      current="/admin/imports"
      scripts={[assetUrl('admin-import.js')]}
    >
      <h2>Upload a OneRoster 1.2 CSV zip</h2>
      <p>
        A zip of manifest.csv and the files it lists, at most {UPLOAD_LIMIT_BYTES / 1024 / 1024}{' '}
        MiB. Nothing is written unless every file is valid.
        {props.access.kind === 'org-admin'
          ? ` Every organisation in it must be ${props.access.orgId} or one of its schools.`
          : ''}
      </p>
      <form data-import-upload data-endpoint={UPLOAD_PATH}>
        <label>
          Zip file <input type="file" name="file" accept=".zip,application/zip" required />
        </label>{' '}
        <button type="submit">Upload and import</button>
        <p role="status" data-upload-status />
      </form>
      <noscript>
        <p>Uploading needs JavaScript; `campus import oneroster` does the same from a shell.</p>
      </noscript>
      <h2>Runs</h2>
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Source</th>
            <th scope="col">From</th>
            <th scope="col">Status</th>
            <th scope="col">Rows</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr data-run-id={run.id}>
              <td>
                <a href={`/admin/imports/${run.id}`}>{run.startedAt.toISOString()}</a>
              </td>
              <td>{run.source}</td>
              <td>{run.origin}</td>
              <td>{run.status}</td>
              <td>{run.rowsRead}</td>
              <td>{run.problemCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminFrame>
  )
}

/** One run: counters (live while it runs) and its problems. */
export function ImportRunPage(props: { access: AdminAccess; run: ImportRunRow }) {
  const { run } = props
  return (
    <AdminFrame
      title={`Import ${run.origin}`}
      access={props.access}
      current="/admin/imports"
      scripts={[assetUrl('admin-import.js')]}
    >
      <p>
        Status: <strong data-run-field="status">{run.status}</strong>
        {run.error ? ` — ${run.error}` : ''}
      </p>
      <dl data-run={run.id} data-run-status={run.status} data-poll={`/api/admin/imports/${run.id}`}>
        {COUNTERS.map(([key, label]) => (
          <>
            <dt>{label}</dt>
            <dd data-run-field={key}>{counter(run, key)}</dd>
          </>
        ))}
      </dl>
      {run.problemCount > 0 ? (
        <>
          <h2>Problems</h2>
          {run.problemCount > run.problems.length ? (
            <p>
              The first {run.problems.length} of {run.problemCount}; the command line lists all.
            </p>
          ) : null}
          <ol class="problems">
            {run.problems.map((line) => (
              <li>
                <code>{line}</code>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <p>
        <a href="/admin/imports">All runs</a>
      </p>
    </AdminFrame>
  )
}
