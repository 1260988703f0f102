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
import { Hono } from 'hono'

/** Every servable asset: URL name → file beside this module. */
export const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  'admin-live.js': { file: 'admin-live.js', type: 'text/javascript; charset=utf-8' },
  'admin-ixl-import.js': { file: 'admin-ixl-import.js', type: 'text/javascript; charset=utf-8' },
  'admin-import.js': { file: 'admin-import.js', type: 'text/javascript; charset=utf-8' },
  'admin.css': { file: 'admin.css', type: 'text/css; charset=utf-8' },
}

/** The URL of an asset, for `<script src>`. */
export function assetUrl(name: keyof typeof ASSETS & string): string {
  return `/assets/${name}`
}

// Read once: the files are small and never change while the process runs.
const loaded = new Map<string, string>()
function body(name: string, file: string): string {
  let text = loaded.get(name)
  if (text === undefined) {
    text = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')
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
    return c.body(body(name, asset.file), 200, {
      'content-type': asset.type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    })
  })
  return app
}
