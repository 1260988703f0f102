/**
 * The class report: who may read it, and the cached report (5 minutes per organisation, class
 * and dimension set; tags: the class's and the session organisation's).
 *
 * @module
 */
import { and, eq, inArray } from 'drizzle-orm'
import { classes, courses } from '../../db/schema.js'
import { type AnalyticsViewer, taughtClassIds } from '../search/access.js'
import { AnalyticsError } from '../search/errors.js'
import type { SearchDeps } from '../search/service.js'
import { classTag } from '../tags.js'
import { type LearnerRow, loadClassRows } from './class-data.js'
import { type Dimension, dimensionKey } from './dimension.js'
import { type GroupSummary, summarize } from './summary.js'
import { searchReportsTag } from './tags.js'

/** How long a report is served from the cache. */
export const REPORT_TTL_MS = 5 * 60_000

/** The class a report is about. */
export interface ReportClass {
  readonly id: string
  readonly title: string
  readonly code: string | null
  readonly schoolId: string
  readonly courseId: string
  readonly courseTitle: string
  readonly grades: readonly string[]
}

/** A class report. */
export interface ClassReport {
  readonly class: ReportClass
  readonly dimension: Dimension
  readonly totals: GroupSummary
  readonly learners: readonly LearnerRow[]
  /** When the numbers were read from PostgreSQL (ISO). */
  readonly generatedAt: string
}

/**
 * The class `classId` if `viewer` may read its report: students never (403), an id outside the
 * viewer's organisations 404, a teacher who does not teach it 403.
 */
export async function authoriseClass(
  deps: SearchDeps,
  viewer: AnalyticsViewer,
  classId: string,
): Promise<ReportClass> {
  if (viewer.role === 'student') {
    throw new AnalyticsError('E_FORBIDDEN', 403, 'Reports are for teachers and administrators.')
  }
  const [row] = await deps.db
    .select({
      id: classes.sourcedId,
      title: classes.title,
      code: classes.classCode,
      schoolId: classes.schoolSourcedId,
      courseId: classes.courseSourcedId,
      courseTitle: courses.title,
      grades: classes.grades,
    })
    .from(classes)
    .innerJoin(courses, eq(courses.sourcedId, classes.courseSourcedId))
    .where(
      and(eq(classes.sourcedId, classId), inArray(classes.schoolSourcedId, [...viewer.subtree])),
    )
  if (!row || viewer.subtree.length === 0) {
    throw new AnalyticsError('E_NOT_FOUND', 404, 'No such class in your organisation.')
  }
  if (viewer.role === 'teacher' && !(await taughtClassIds(deps.db, viewer)).includes(row.id)) {
    throw new AnalyticsError('E_FORBIDDEN', 403, 'You do not teach this class.')
  }
  return row
}

/** The report of an authorised class (from the cache or PostgreSQL). */
export async function classReport(
  deps: SearchDeps,
  viewer: AnalyticsViewer,
  cls: ReportClass,
  dimension: Dimension,
): Promise<ClassReport> {
  const key = deps.satchel.keys
    .org(viewer.orgId)
    .key('report', 'class', cls.id, ...dimensionKey(dimension))
  return deps.satchel.cache.getOrSet(
    key,
    async () => {
      const rows = await loadClassRows(deps.db, [cls.id], viewer.subtree, dimension)
      const learners = rows.get(cls.id) ?? []
      return {
        class: cls,
        dimension,
        totals: summarize(learners),
        learners,
        generatedAt: new Date().toISOString(),
      }
    },
    {
      ttl: REPORT_TTL_MS,
      tags: [classTag(cls.schoolId, cls.id), searchReportsTag(viewer.orgId)],
    },
  )
}
