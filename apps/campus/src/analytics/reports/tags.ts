/**
 * The search and report entries' tags: the shared vocabulary (analytics/tags.ts) plus this
 * family's organisation tag, which every import drops (reports read every source, search reads
 * the roster), and one tag per grade report, so a graded attempt drops the grade reports of its
 * learner's grade levels only. Finer than the shared organisation tag, which would also drop
 * the other families' entries an import does not touch.
 *
 * @module
 */
import { orgTag } from '../tags.js'

/** The grade report of `grade` cached for a session of `orgId`. */
export function gradeReportTag(orgId: string, grade: string): string {
  return `${orgTag(orgId)}:report-grade:${grade}`
}

/** Every search and report entry cached for a session of `orgId`. */
export function searchReportsTag(orgId: string): string {
  return `${orgTag(orgId)}:search-reports`
}
