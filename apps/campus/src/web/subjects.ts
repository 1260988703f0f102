/**
 * The subjects campus knows (docs/content-model.md) and the first path segments that are never
 * a subject. The index lists the subjects in this order; a subject with no course is left out.
 *
 * @module
 */

/** A subject page: its URL slug and its display title. */
export interface KnownSubject {
  slug: string
  title: string
}

/** The six subjects, in index order. */
export const KNOWN_SUBJECTS: readonly KnownSubject[] = [
  { slug: 'math', title: 'Math' },
  { slug: 'science', title: 'Science' },
  { slug: 'computing', title: 'Computing' },
  { slug: 'humanities', title: 'Humanities' },
  { slug: 'economics', title: 'Economics' },
  { slug: 'arts', title: 'Arts' },
]

/**
 * First path segments owned by other routers (`/api/…`, `/r/…`, `/health`, `/metrics`). A
 * request that reaches the content pages with one of these is not a subject: it gets a 404
 * without a loader call (and so without a "subject not found" warning).
 */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  'api',
  'r',
  'health',
  'metrics',
  'admin',
  'assets',
  'me',
  'practice',
])

/** A subject's display title; the slug, capitalised, for a subject not in the list. */
export function subjectTitle(slug: string): string {
  const known = KNOWN_SUBJECTS.find((s) => s.slug === slug)
  if (known) return known.title
  return slug.charAt(0).toUpperCase() + slug.slice(1)
}
