/**
 * Client scripts and stylesheets, served as static files from an allow-list: pages run under a
 * Content-Security-Policy of `script-src 'self'` (and `style-src` admitting only the site's one
 * hashed stylesheet), so no page carries an inline script, an `on*=` attribute or a `style`
 * attribute; what a page needs in the browser lives here, loaded with `<script src>` or
 * `<link rel="stylesheet">`.
 *
 * `GET /assets/<name>` answers only names in {@link ASSETS}; anything else is 404, so no path
 * from the request ever reaches the file system.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Hono } from 'hono'

/**
 * Every servable asset: URL name → file beside this module, or (`module`) a file of an npm
 * package, resolved as `require.resolve` would (the SCORM run-time from scorm-again).
 */
export const ASSETS: Readonly<Record<string, { file: string; type: string; module?: boolean }>> = {
  'admin-live.js': { file: 'admin-live.js', type: 'text/javascript; charset=utf-8' },
  'admin-ixl-import.js': { file: 'admin-ixl-import.js', type: 'text/javascript; charset=utf-8' },
  'admin-import.js': { file: 'admin-import.js', type: 'text/javascript; charset=utf-8' },
  'admin.css': { file: 'admin.css', type: 'text/css; charset=utf-8' },
  'dispatch-bridge.js': { file: 'dispatch-bridge.js', type: 'text/javascript; charset=utf-8' },
  'scorm-player.js': { file: 'scorm-player.js', type: 'text/javascript; charset=utf-8' },
  'scorm-player.css': { file: 'scorm-player.css', type: 'text/css; charset=utf-8' },
  'scorm12.js': {
    file: 'scorm-again/scorm12/min',
    type: 'text/javascript; charset=utf-8',
    module: true,
  },
  'scorm2004.js': {
    file: 'scorm-again/scorm2004/min',
    type: 'text/javascript; charset=utf-8',
    module: true,
  },
}

const require = createRequire(import.meta.url)

/** The URL of an asset, for `<script src>`. */
export function assetUrl(name: keyof typeof ASSETS & string): string {
  return `/assets/${name}`
}

// Read once: the files are small and never change while the process runs.
const loaded = new Map<string, string>()
function body(name: string, file: string, module = false): string {
  let text = loaded.get(name)
  if (text === undefined) {
    text = readFileSync(
      module ? require.resolve(file) : new URL(`./${file}`, import.meta.url),
      'utf8',
    )
    loaded.set(name, text)
  }
  return text
}

/** The asset routes. */
export function assetRoutes(): Hono {
  const app = new Hono()
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name')
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
    if (!asset) return c.text('Not Found', 404, { 'cache-control': 'no-store' })
    return c.body(body(name, asset.file, asset.module), 200, {
      'content-type': asset.type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    })
  })
  return app
}
