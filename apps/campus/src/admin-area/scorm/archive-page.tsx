/**
 * The confirmation page of a package archive: what archiving does, and the form that does it
 * (a same-origin post, CSRF-checked like every form post).
 *
 * @module
 */
import type { PackageRow } from '../../scorm/runtime/launch.js'
import { assetUrl } from '../../web/assets/index.js'
import { Layout } from '../../web/layout.js'

/** `/admin/scorm/:id/archive` */
export function ArchiveConfirmPage(props: { pkg: PackageRow; registrations: number }) {
  const { pkg } = props
  return (
    <Layout
      title={`Archive ${pkg.title}`}
      breadcrumbs={[
        { label: 'Admin', path: '/admin' },
        { label: 'SCORM packages', path: '/admin/scorm' },
        { label: pkg.title, path: `/admin/scorm/${pkg.id}` },
        { label: 'Archive' },
      ]}
    >
      <link rel="stylesheet" href={assetUrl('admin.css')} />
      <h1>{`Archive “${pkg.title}”?`}</h1>
      {pkg.archivedAt ? (
        <p class="notice" role="status">
          {`This package was archived on ${pkg.archivedAt.toISOString().slice(0, 10)}.`}
        </p>
      ) : (
        <>
          <ul>
            <li>It leaves course pages and the learners' list of SCORM courses.</li>
            <li>Nobody can launch it any more, through campus or through a dispatch.</li>
            <li>
              {`Its ${props.registrations} registration${props.registrations === 1 ? '' : 's'} and this package's report stay.`}
            </li>
          </ul>
          <form method="post" action={`/admin/scorm/${pkg.id}/archive`}>
            <button type="submit" data-confirm-archive>
              Archive package
            </button>{' '}
            <a href={`/admin/scorm/${pkg.id}`}>Cancel</a>
          </form>
        </>
      )}
    </Layout>
  )
}
