/**
 * What search and reports drop when their inputs change (registered in analytics/changes.ts).
 *
 * - An import: every search and report entry of the organisations it wrote and of every
 *   organisation above them (a district session's views include its schools), by their
 *   organisation tags. Exact for rows imports write.
 * - A graded attempt: the class reports of the learner's classes (class tags) and the grade
 *   reports of those classes' grade levels, for the learner's organisation and every one above
 *   it (grade-report tags). Search reads no attempts, so it keeps its entries.
 *
 * Roster edits outside imports (an administrator disabling a user) are not announced: those
 * entries live out their TTL (search 60 s, reports 5 min).
 *
 * @module
 */
import { and, eq } from 'drizzle-orm'
import { createInvalidator } from 'satchel'
import { classes, enrollments } from '../../db/schema.js'
import type { ChangeDeps, ChangeHandler, DataChange } from '../changes.js'
import { orgAncestry } from '../scope.js'
import { classTag } from '../tags.js'
import { gradeReportTag, searchReportsTag } from './tags.js'

/** The learner's active classes: id, school and grade levels. */
async function classesOf(deps: ChangeDeps, userId: string) {
  return deps.db
    .select({ id: classes.sourcedId, schoolId: classes.schoolSourcedId, grades: classes.grades })
    .from(enrollments)
    .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
    .where(
      and(
        eq(enrollments.userSourcedId, userId),
        eq(enrollments.role, 'student'),
        eq(enrollments.status, 'active'),
      ),
    )
}

/** The tags a change makes stale (exported for tests and the doc's examples). */
export async function staleTags(deps: ChangeDeps, change: DataChange): Promise<string[]> {
  if (change.kind === 'import') {
    return (await orgAncestry(deps.db, change.orgIds)).map(searchReportsTag).sort()
  }
  const taught = await classesOf(deps, change.userId)
  const orgs = await orgAncestry(deps.db, [change.orgId, ...taught.map((c) => c.schoolId)])
  const grades = [...new Set(taught.flatMap((c) => c.grades))]
  return [
    ...taught.map((c) => classTag(c.schoolId, c.id)),
    ...orgs.flatMap((org) => grades.map((g) => gradeReportTag(org, g))),
  ].sort()
}

/** Search and reports' {@link ChangeHandler}. */
export const searchAndReportsChanges: ChangeHandler = {
  name: 'search-and-reports',
  async handle(deps, change) {
    const invalidate = createInvalidator(deps.satchel.cache, {
      tags: (tags: string[]) => ({ tags }),
    })
    const tags = await staleTags(deps, change)
    return tags.length === 0 ? undefined : invalidate.tags(tags)
  },
}
