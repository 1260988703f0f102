/**
 * The search results page (`/search`): the header's form lands here, so search works without
 * JavaScript.
 *
 * @module
 */
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../../web/layout.js'
import type { SearchResult } from './service.js'

const TYPE_LABELS = { students: 'students', classes: 'classes', courses: 'courses' } as const

/** Results of one search. */
export function SearchPage({ viewer, result }: { viewer: PageViewer; result: SearchResult }) {
  const what = TYPE_LABELS[result.type]
  return (
    <Layout title={`Search: ${result.q}`} viewer={viewer} breadcrumbs={[{ label: 'Search' }]}>
      <h1>Search</h1>
      <p class="meta">
        {result.results.length === 0
          ? `No ${what} match “${result.q}”.`
          : `${result.results.length} ${what} matching “${result.q}”${
              result.results.length === result.limit ? ' (first results only)' : ''
            }.`}
      </p>
      <ul class="plain" aria-label="Results">
        {result.results.map((hit) => (
          <li>
            {hit.href ? <a href={hit.href}>{hit.label}</a> : <span>{hit.label}</span>}
            {hit.detail ? <span class="meta"> · {hit.detail}</span> : null}
          </li>
        ))}
      </ul>
    </Layout>
  )
}
