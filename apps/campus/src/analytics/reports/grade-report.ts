/**
 * The grade-level report: every class of the viewer's organisations that lists the grade level,
 * one line of aggregates each, with small-n suppression (a class of fewer than
 * {@link DEFAULT_MIN_N} learners shows its size only). Administrators only; cached 5 minutes per
 * organisation, grade and dimension set.
 *
 * @module
 */
import { and, arrayContains, asc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { classes } from '../../db/schema.js'
import { GRADES } from '../../ingest/oneroster/fields.js'
import type { AnalyticsViewer } from '../search/access.js'
import { AnalyticsError, invalidField } from '../search/errors.js'
import type { SearchDeps } from '../search/service.js'
import { suppressCells } from '../stats/index.js'
import { loadClassRows } from './class-data.js'
import { REPORT_TTL_MS } from './class-report.js'
import { type Dimension, dimensionKey } from './dimension.js'
import { type GroupSummary, summarize } from './summary.js'
import { gradeReportTag, searchReportsTag } from './tags.js'

/** One class line; `summary` is null when suppressed (then only `learners` is shown). */
export interface GradeClassLine {
  readonly id: string
  readonly title: string
  readonly code: string | null
  readonly learners: number
  readonly suppressed: false | 'small' | 'complementary'
  readonly summary: GroupSummary | null
}

/** A grade report. */
export interface GradeReport {
  readonly grade: string
  readonly dimension: Dimension
  readonly minN: number
  /**
   * Over every learner row of the listed classes (one per enrolment); null when there are fewer
   * than `minN` (a small total would reveal the small cells it sums).
   */
  readonly totals: GroupSummary | null
  readonly classes: readonly GradeClassLine[]
  readonly generatedAt: string
}

/** The default threshold: aggregates of fewer than 10 learners are not shown. */
export const DEFAULT_MIN_N = 10

const gradeSchema = z.enum(GRADES as [string, ...string[]])

/** Checks `grade` (a CEDS grade level, `KG`, `05`) and the viewer's right to grade reports. */
export function authoriseGrade(viewer: AnalyticsViewer, grade: string): string {
  if (viewer.role !== 'administrator') {
    throw new AnalyticsError('E_FORBIDDEN', 403, 'Grade reports are for administrators.')
  }
  const parsed = gradeSchema.safeParse(grade)
  if (!parsed.success) throw invalidField('grade', `is not one of ${GRADES.join(', ')}`)
  return parsed.data
}

/** The report (from the cache or PostgreSQL). */
export async function gradeReport(
  deps: SearchDeps,
  viewer: AnalyticsViewer,
  grade: string,
  dimension: Dimension,
): Promise<GradeReport> {
  const key = deps.satchel.keys
    .org(viewer.orgId)
    .key('report', 'grade', grade, ...dimensionKey(dimension))
  return deps.satchel.cache.getOrSet(
    key,
    async () => {
      const list = await deps.db
        .select({ id: classes.sourcedId, title: classes.title, code: classes.classCode })
        .from(classes)
        .where(
          and(
            arrayContains(classes.grades, [grade]),
            eq(classes.status, 'active'),
            inArray(classes.schoolSourcedId, [...viewer.subtree]),
          ),
        )
        .orderBy(asc(classes.title), asc(classes.sourcedId))
      const rows = await loadClassRows(
        deps.db,
        list.map((c) => c.id),
        viewer.subtree,
        dimension,
      )
      const cells = suppressCells(
        list.map((c) => ({ key: c.id, n: rows.get(c.id)?.length ?? 0 })),
        DEFAULT_MIN_N,
      )
      // A learner in two classes of the grade counts in both (a row per enrolment).
      const everyone = [...rows.values()].flat()
      return {
        grade,
        dimension,
        minN: DEFAULT_MIN_N,
        totals: everyone.length < DEFAULT_MIN_N ? null : summarize(everyone),
        classes: list.map((c, i) => {
          const suppressed = cells[i]?.suppressed ?? 'small'
          const learners = rows.get(c.id) ?? []
          return {
            ...c,
            learners: learners.length,
            suppressed,
            summary: suppressed === false ? summarize(learners) : null,
          }
        }),
        generatedAt: new Date().toISOString(),
      }
    },
    {
      ttl: REPORT_TTL_MS,
      tags: [gradeReportTag(viewer.orgId, grade), searchReportsTag(viewer.orgId)],
    },
  )
}
