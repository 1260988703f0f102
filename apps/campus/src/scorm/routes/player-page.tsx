/**
 * The learner's pages: the organisation's packages, and the player (table of contents, the
 * content frame, the run-time scripts). Client code is in static assets; the launch data
 * travels in data attributes, never in an inline script.
 *
 * @module
 */
import { assetUrl } from '../../web/assets/index.js'
import { Layout } from '../../web/layout.js'
import type { ManifestItem } from '../manifest/types.js'
import type { AttemptSummary } from '../runtime/attempts.js'
import type { PackageRow, RegistrationRow, ScoRow } from '../runtime/launch.js'
import { AttemptsPanel } from './attempts-panel.js'
import { CONTENT_SANDBOX } from './policies.js'
import { ScoToc } from './toc.js'

/** The organisation's packages. */
export function PackagesPage(props: {
  packages: Pick<PackageRow, 'id' | 'title' | 'version' | 'edition'>[]
}) {
  return (
    <Layout title="SCORM courses" breadcrumbs={[{ label: 'SCORM courses' }]}>
      <h1>SCORM courses</h1>
      {props.packages.length === 0 ? (
        <p>No SCORM courses yet.</p>
      ) : (
        <ul class="plain">
          {props.packages.map((p) => (
            <li>
              <a href={`/scorm/packages/${p.id}`}>{p.title}</a>{' '}
              <span class="kind">
                SCORM {p.version === '1.2' ? '1.2' : `2004 ${p.edition ?? ''}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** What the player shows. */
export interface PlayerProps {
  pkg: PackageRow
  items: ManifestItem[]
  scos: ScoRow[]
  current: ScoRow
  version: string
  commitUrl: string
  launchUrl: string
  state: Record<string, string>
  registration: RegistrationRow
  attempts: AttemptSummary[]
}

/** The player page. */
export function PlayerPage(props: PlayerProps) {
  return (
    <Layout
      title={props.pkg.title}
      breadcrumbs={[{ label: 'SCORM courses', path: '/scorm' }, { label: props.pkg.title }]}
    >
      <link rel="stylesheet" href={assetUrl('scorm-player.css')} />
      <h1>{props.pkg.title}</h1>
      <div class="scorm-layout">
        <ScoToc
          items={props.items}
          scos={props.scos}
          currentId={props.current.id}
          href={(id) => `/scorm/packages/${props.pkg.id}?sco=${id}`}
        />
        <div
          id="scorm-player"
          data-version={props.version}
          data-commit-url={props.commitUrl}
          data-launch-url={props.launchUrl}
          data-state={JSON.stringify(props.state)}
        >
          <iframe id="scorm-content" title={props.current.title} sandbox={CONTENT_SANDBOX} />
          <p id="scorm-status" role="status" data-commits="0" />
        </div>
      </div>
      <AttemptsPanel
        packageId={props.pkg.id}
        current={props.registration}
        attempts={props.attempts}
      />
      <script src={assetUrl(props.version === '1.2' ? 'scorm12.js' : 'scorm2004.js')} />
      <script src={assetUrl('scorm-player.js')} />
    </Layout>
  )
}
