/**
 * Titles of the `small` set's fixture rows, read from the generated rows themselves (not from
 * the loaders under test), and the HTML escaping pages apply to them.
 *
 * @module
 */
import { generateDataset, SMALL_FIXTURES } from '../../src/seed/generate.js'

const dataset = generateDataset({ scale: 'small' })

/** The title of a course, component or resource of the `small` set, by `sourcedId`. */
export function titleOf(id: string): string {
  const row =
    dataset.courses.find((r) => r.sourcedId === id) ??
    dataset.courseComponents.find((r) => r.sourcedId === id) ??
    dataset.resources.find((r) => r.sourcedId === id)
  if (!row) throw new Error(`no row ${id} in the small set`)
  return row.title
}

/** Text as Hono JSX writes it into HTML. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

export { SMALL_FIXTURES as F }
