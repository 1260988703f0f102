/**
 * The SCORM pages of the admin area: the organisation's packages with the upload form (and
 * the problems of a refused upload), and one package's report of learner registrations.
 *
 * @module
 */
import type { scormPackages, scormRegistrations } from '../../db/schema.js'
import { assetUrl } from '../../web/assets/index.js'
import { Layout } from '../../web/layout.js'

type PackageRow = typeof scormPackages.$inferSelect
type RegistrationRow = typeof scormRegistrations.$inferSelect

/** Size in KiB/MiB for people. */
function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`
}

function versionLabel(p: Pick<PackageRow, 'version' | 'edition'>): string {
  return p.version === '1.2' ? 'SCORM 1.2' : `SCORM 2004 (edition ${p.edition ?? '?'})`
}

/** Props of {@link PackagesAdminPage}. */
export interface PackagesAdminProps {
  orgId: string
  /** Administrators upload; teachers only read the list and the reports. */
  canUpload: boolean
  packages: PackageRow[]
  notice?: string | undefined
  /** A refused upload: its message and every problem. */
  refused?: { message: string; problems: readonly string[] } | undefined
  maxZipBytes: number
}

/** The package list and upload form. */
export function PackagesAdminPage(props: PackagesAdminProps) {
  return (
    <Layout
      title="SCORM packages"
      breadcrumbs={[{ label: 'Admin', path: '/admin' }, { label: 'SCORM packages' }]}
    >
      <link rel="stylesheet" href={assetUrl('admin.css')} />
      <link rel="stylesheet" href={assetUrl('scorm-player.css')} />
      <h1>SCORM packages</h1>
      <p class="meta">Organisation {props.orgId}.</p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.refused ? (
        <div class="notice error" role="alert">
          <p data-upload-error>{props.refused.message}</p>
          <ul class="problems">
            {props.refused.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.canUpload ? (
        <>
          <h2>Upload a package</h2>
          <form method="post" action="/admin/scorm/upload" enctype="multipart/form-data">
            <p>
              <label for="package">
                SCORM 1.2 or 2004 zip (at most {bytes(props.maxZipBytes)})
              </label>
              <br />
              <input
                id="package"
                name="package"
                type="file"
                accept=".zip,application/zip"
                required
              />
            </p>
            <p>
              <label for="course">Course id (optional: its course page lists the package)</label>
              <br />
              <input id="course" name="course" type="text" maxlength={200} />
            </p>
            <button type="submit">Upload</button>
          </form>
        </>
      ) : null}
      <h2>Packages</h2>
      {props.packages.length === 0 ? (
        <p>No packages yet.</p>
      ) : (
        <table class="scorm">
          <thead>
            <tr>
              <th>Title</th>
              <th>Version</th>
              <th>SCOs</th>
              <th>Size</th>
              <th>Uploaded</th>
            </tr>
          </thead>
          <tbody>
            {props.packages.map((p) => (
              <tr data-package-id={p.id}>
                <td>
                  <a href={`/admin/scorm/${p.id}`}>{p.title}</a>
                  {p.archivedAt ? <span class="kind"> archived</span> : null}
                </td>
                <td>{versionLabel(p)}</td>
                <td>{p.manifest.scoCount}</td>
                <td>{bytes(p.byteSize)}</td>
                <td>{p.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}

function duration(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m ${String(s % 60).padStart(2, '0')}s`
}

/** One package's registrations. */
export function PackageReportPage(props: {
  pkg: PackageRow
  registrations: RegistrationRow[]
  notice?: string | undefined
  /** Administrators may archive the package. */
  canArchive?: boolean
}) {
  const { pkg } = props
  return (
    <Layout
      title={`Report: ${pkg.title}`}
      breadcrumbs={[
        { label: 'Admin', path: '/admin' },
        { label: 'SCORM packages', path: '/admin/scorm' },
        { label: pkg.title },
      ]}
    >
      <link rel="stylesheet" href={assetUrl('admin.css')} />
      <link rel="stylesheet" href={assetUrl('scorm-player.css')} />
      <h1>{pkg.title}</h1>
      <p class="meta">
        {versionLabel(pkg)} · {pkg.manifest.scoCount} SCO{pkg.manifest.scoCount === 1 ? '' : 's'} ·{' '}
        {pkg.fileCount} files · {bytes(pkg.byteSize)} ·{' '}
        {pkg.archivedAt ? (
          <span data-archived>{`Archived on ${pkg.archivedAt.toISOString().slice(0, 10)}`}</span>
        ) : (
          <>
            <a href={`/scorm/packages/${pkg.id}`}>Launch</a>
            {props.canArchive ? (
              <>
                {' · '}
                <a href={`/admin/scorm/${pkg.id}/archive`}>Archive…</a>
              </>
            ) : null}
          </>
        )}
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <h2>Registrations</h2>
      {props.registrations.length === 0 ? (
        <p>No learner has launched this package yet.</p>
      ) : (
        <table class="scorm">
          <thead>
            <tr>
              <th>Learner</th>
              <th>Attempt</th>
              <th>Completion</th>
              <th>Success</th>
              <th>Score</th>
              <th>Time</th>
              <th>Last access</th>
            </tr>
          </thead>
          <tbody>
            {props.registrations.map((r) => (
              <tr data-registration-id={r.id} data-learner-id={r.learnerId}>
                <td>{r.learnerName ?? r.learnerId}</td>
                <td>{r.attempt}</td>
                <td data-field="completion">{r.completionStatus}</td>
                <td data-field="success">{r.successStatus}</td>
                <td data-field="score">
                  {r.scoreRaw === null ? '–' : String(Math.round(r.scoreRaw * 100) / 100)}
                </td>
                <td>{duration(r.totalTimeSeconds)}</td>
                <td>
                  {r.lastAccessedAt
                    ? r.lastAccessedAt.toISOString().slice(0, 16).replace('T', ' ')
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
