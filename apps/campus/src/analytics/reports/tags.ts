/**
 * The report entries' tags: the shared vocabulary (analytics/tags.ts) plus one tag per grade
 * report, so a graded attempt drops the grade reports of its learner's grade levels only.
 *
 * @module
 */
import { orgTag } from '../tags.js'

/** The grade report of `grade` cached for a session of `orgId`. */
export function gradeReportTag(orgId: string, grade: string): string {
  return `${orgTag(orgId)}:report-grade:${grade}`
}
