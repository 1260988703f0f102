import { randomUUID } from 'node:crypto'
import { unstable_cache } from 'next/cache'

/** A few slugs for the home page; any slug renders (the catalogue is made up). */
export const COURSES = ['algebra-1', 'biology', 'world-history']

export interface Course {
  slug: string
  title: string
  /** Distinguishes one load of the data from the next. */
  loadId: string
  loadedAt: string
}

/**
 * The course's data, in Next's data cache (through satchel) under the tag `course:<slug>`.
 * Stands in for a database query.
 */
export function loadCourse(slug: string): Promise<Course> {
  return unstable_cache(
    async (): Promise<Course> => ({
      slug,
      title: slug
        .split('-')
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join(' '),
      loadId: randomUUID(),
      loadedAt: new Date().toISOString(),
    }),
    ['course', slug],
    { tags: [`course:${slug}`], revalidate: 3600 },
  )()
}
