/**
 * Keeps one bad row from taking a course down. A bundle is cached as one value, so a single row
 * whose metadata the cache codec cannot encode (nested deeper than it walks) would make the whole
 * course uncacheable, and every page reading it rebuild from the database on every view. Such a
 * row's metadata is replaced by an empty object before the bundle is cached: the row then fails
 * the pages' own metadata check and answers 404 by itself, with the structured warning
 * (`bundle_invalid_metadata`), while the pages around it are served from cache as usual.
 *
 * @module
 */
import type { ContentLogger } from './context.js'
import type { CourseResourceBundle } from './types.js'

/**
 * Deepest metadata a cached row keeps. The course builder accepts 16 levels
 * (`admin/input-bounds.ts`); this leaves room for rows written by imports or older builds, and
 * stays far below the codec's own limit of 1,000 levels for the whole bundle.
 */
export const MAX_CACHED_METADATA_DEPTH = 64

/** Whether `value` nests deeper than `max` levels. Iterative: any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number]
    if (typeof current !== 'object' || current === null) continue
    if (depth >= max) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}

type RowKind = 'course' | 'component' | 'resource'

const ID_FIELD: Record<RowKind, string> = {
  course: 'courseId',
  component: 'componentId',
  resource: 'resourceSourcedId',
}

/**
 * Empties the metadata of every row of `bundle` nested deeper than
 * {@link MAX_CACHED_METADATA_DEPTH}, logging one warning per row. Returns how many rows it
 * emptied.
 */
export function quarantineDeepMetadata(
  bundle: CourseResourceBundle,
  logger: Pick<ContentLogger, 'warn'>,
): number {
  let count = 0
  const check = (kind: RowKind, row: { sourcedId: string; metadata: unknown }): void => {
    if (!nestsDeeperThan(row.metadata, MAX_CACHED_METADATA_DEPTH)) return
    row.metadata = {}
    count++
    logger.warn(
      {
        courseId: bundle.courseId,
        [ID_FIELD[kind]]: row.sourcedId,
        field: 'metadata',
        outcome: 'bundle_invalid_metadata',
      },
      `${kind} metadata nests deeper than ${MAX_CACHED_METADATA_DEPTH} levels; the row is left out`,
    )
  }
  check('course', bundle.course)
  for (const component of bundle.components) check('component', component)
  for (const resource of bundle.resources) check('resource', resource)
  return count
}
