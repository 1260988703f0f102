/**
 * Cache tags of analytics entries, one vocabulary for every family (search, reports, dashboards,
 * cohorts), so a change handler can drop "everything about this class" without knowing which
 * families cached something about it. Every tag carries the organisation: sourcedIds are unique
 * within one roster source, not across tenants.
 *
 * @module
 */

/**
 * The prefix of an organisation's analytics tags. Never put on an entry by itself: an
 * organisation-wide invalidation would drop entries a change leaves valid (an IXL import does not
 * change quiz cohorts), so each family builds its own organisation-level tags on this prefix
 * (`cohortSourceTag`, `searchReportsTag`) and drops only those a change makes stale.
 */
export function orgTag(orgId: string): string {
  return `analytics:o:${orgId}`
}

/** Entries that read one class's roster, attempts or scores. */
export function classTag(orgId: string, classId: string): string {
  return `analytics:o:${orgId}:class:${classId}`
}

/** Entries that read one person's data (their dashboard, their rows in reports). */
export function userTag(orgId: string, userId: string): string {
  return `analytics:o:${orgId}:user:${userId}`
}

/** Entries that read one course's attempts (item difficulty, course reports). */
export function courseTag(orgId: string, courseId: string): string {
  return `analytics:o:${orgId}:course:${courseId}`
}
