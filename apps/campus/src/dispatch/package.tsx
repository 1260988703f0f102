/**
 * A dispatch package: the small SCORM zip a tenant uploads to its LMS. It holds no content, only
 * `imsmanifest.xml` and a launcher (`index.html` + `launcher.js`) that, inside the LMS, asks
 * campus to launch the dispatch for the LMS's learner and opens the course from campus — the
 * dispatch pattern of commercial SCORM engines. The launcher's data (campus origin, dispatch id,
 * key) sits in `data-` attributes, rendered by Hono's JSX (which escapes them); the script is a
 * separate file, as an LMS with a strict Content-Security-Policy requires.
 *
 * @module
 */
import { zipSync } from 'fflate'
import { launcherFiles } from './launcher-files.js'
import { type DispatchPackageVersion, dispatchManifest } from './manifest.js'

/** What goes into a dispatch package. */
export interface DispatchPackageOptions {
  dispatchId: string
  title: string
  /** Campus's public origin (`https://campus.example`), which the launcher calls. */
  campusOrigin: string
  /** The raw dispatch key (only its hash is stored). */
  key: string
  version: DispatchPackageVersion
}

function LauncherPage(props: DispatchPackageOptions) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="launcher.css" />
      </head>
      <body>
        <main
          id="campus-dispatch"
          data-campus={props.campusOrigin}
          data-dispatch={props.dispatchId}
          data-key={props.key}
          data-version={props.version}
        >
          <p id="campus-dispatch-status" role="status">
            Opening {props.title}…
          </p>
        </main>
        <script src="launcher.js" />
      </body>
    </html>
  )
}

/** The files of a dispatch package, by path. */
export function dispatchPackageFiles(options: DispatchPackageOptions): Record<string, Uint8Array> {
  const html = `<!DOCTYPE html>${(<LauncherPage {...options} />).toString()}`
  const files = ['index.html', 'launcher.js', 'launcher.css']
  return {
    'imsmanifest.xml': new TextEncoder().encode(
      dispatchManifest({
        dispatchId: options.dispatchId,
        title: options.title,
        version: options.version,
        launch: 'index.html',
        files,
      }),
    ),
    'index.html': new TextEncoder().encode(html),
    'launcher.js': launcherFiles().js,
    'launcher.css': launcherFiles().css,
  }
}

/** The dispatch package as zip bytes. */
export function buildDispatchPackage(options: DispatchPackageOptions): Uint8Array {
  return zipSync(dispatchPackageFiles(options), { level: 6 })
}
