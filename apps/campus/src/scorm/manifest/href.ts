/**
 * Package-relative paths from manifest `href`s: `xml:base` of the manifest, `<resources>` and
 * `<resource>` applied in order, percent-decoding undone, the query and fragment split off.
 *
 * @module
 */
import { posix } from 'node:path'

/** A resolved href: the file inside the package, and the query to launch it with. */
export type ResolvedHref =
  | { ok: true; path: string; query: string | null }
  | { ok: false; reason: string }

/** Resolves `href` against the `bases` (outermost first). */
export function resolveHref(href: string, bases: readonly (string | undefined)[]): ResolvedHref {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
    return { ok: false, reason: `${JSON.stringify(href)} points outside the package (a URL)` }
  }
  const hash = href.indexOf('#')
  const withoutFragment = hash === -1 ? href : href.slice(0, hash)
  const q = withoutFragment.indexOf('?')
  const file = q === -1 ? withoutFragment : withoutFragment.slice(0, q)
  const query = q === -1 ? null : withoutFragment.slice(q + 1)
  let decoded: string
  try {
    decoded = decodeURIComponent(file)
  } catch {
    return { ok: false, reason: `${JSON.stringify(href)} has a malformed percent-encoding` }
  }
  const base = bases.filter((b): b is string => b !== undefined && b !== '').join('/')
  const joined = posix.normalize(posix.join(base === '' ? '.' : base, decoded))
  if (joined.startsWith('/') || joined === '..' || joined.startsWith('../')) {
    return { ok: false, reason: `${JSON.stringify(href)} points outside the package` }
  }
  if (joined === '.' || joined.endsWith('/')) {
    return { ok: false, reason: `${JSON.stringify(href)} names a directory, not a file` }
  }
  return { ok: true, path: joined, query }
}
