/**
 * What a course builder mutation touched, collected inside its transaction and invalidated after
 * the commit (`invalidate.ts`).
 *
 * @module
 */

/** The caches a mutation made stale. */
export interface Affected {
  /** Courses whose bundle (and hub card, and legacy org lists) changed. */
  courseIds: Set<string>
  /** Resources whose set of placements changed (`oneroster-resource-courses:<id>`). */
  placementsChanged: Set<string>
  /** Resources whose questions changed or went away (`oneroster-assessment-items:<id>`). */
  itemsChanged: Set<string>
}

/** An empty {@link Affected}. */
export function affected(courseIds: Iterable<string> = []): Affected {
  return { courseIds: new Set(courseIds), placementsChanged: new Set(), itemsChanged: new Set() }
}

/** A mutation's result: the row(s) it wrote and what it touched. */
export interface MutationResult<T> {
  data: T
  affected: Affected
}
