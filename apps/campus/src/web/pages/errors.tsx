/**
 * The 404 and 500 pages.
 *
 * @module
 */
import { Layout } from '../layout.js'

/** A page that does not exist (or whose data is broken: the loader logged why). */
export function NotFoundPage({ detail }: { detail: string }) {
  return (
    <Layout title="Page not found">
      <h1>Page not found</h1>
      <p>{detail}</p>
      <p>
        <a href="/">Browse all subjects</a>
      </p>
    </Layout>
  )
}

/** An unexpected failure; the details are in the error log, not on the page. */
export function ServerErrorPage() {
  return (
    <Layout title="Something went wrong">
      <h1>Something went wrong</h1>
      <p>This page could not be shown. Please try again in a moment.</p>
      <p>
        <a href="/">Browse all subjects</a>
      </p>
    </Layout>
  )
}
