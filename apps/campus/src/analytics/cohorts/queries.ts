/**
 * One score per learner for a cohort, read from PostgreSQL (docs/analytics.md, "Cohorts"):
 *
 * - **quiz**: practice attempts' `score_percent`; per learner the latest attempt (or the best,
 *   `pick=best`), over one course (`course=`) or all of them; a class cohort reads the attempts
 *   submitted in that class.
 * - **ixl**: the IXL diagnostic's overall level per learner for one subject; the given period,
 *   or the one from the learner's latest import.
 * - **toddle**: Toddle term grades' `score` per learner; the latest grading period (or the best
 *   grade, `pick=best`), over one course reference or all; a class cohort reads grades of that
 *   class.
 *
 * Rows without a numeric score (blank, NaN) never beat a numeric one when picking; a learner with
 * none at all is kept as `null` so the page can say how many were left out. Every row belongs to
 * an organisation of the session's subtree.
 *
 * @module
 */
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { inOrgs } from './access.js'
import type { CohortRef, ScoreQuery } from './params.js'

/** One learner's picked score and the groups they fall in: `[value, classId, grade, schoolId]`. */
export type Observation = [number | null, string | null, string | null, string | null]

/** A cohort's data as cached: observations and the names of the classes and schools in them. */
export interface CohortData {
  readonly observations: Observation[]
  /** class or school sourcedId → its title or name. */
  readonly labels: Record<string, string>
}

/** The source rows: `user_id`, `value` (float8, may be null/NaN), `class_id`, `at_key`. */
function sourceRows(orgs: SQL, cohort: CohortRef, q: ScoreQuery): SQL {
  const inClass = cohort.scope === 'class'
  if (q.score === 'quiz') {
    return sql`select a.user_sourced_id as user_id, a.score_percent::float8 as value,
        a.class_sourced_id as class_id, a.submitted_at as at_key
      from practice_attempts a
      where a.org_sourced_id in ${orgs}
        ${q.course === null ? sql`` : sql`and a.course_sourced_id = ${q.course}`}
        ${inClass ? sql`and a.class_sourced_id = ${cohort.id}` : sql``}`
  }
  if (q.score === 'toddle') {
    return sql`select t.user_sourced_id as user_id, t.score as value,
        t.class_sourced_id as class_id, t.academic_year || '|' || t.grading_period_ref as at_key
      from toddle_term_grades t
      where t.org_sourced_id in ${orgs}
        ${q.course === null ? sql`` : sql`and t.course_ref = ${q.course}`}
        ${q.period === null ? sql`` : sql`and t.grading_period_ref = ${q.period}`}
        ${inClass ? sql`and t.class_sourced_id = ${cohort.id}` : sql``}`
  }
  return sql`select e.user_sourced_id as user_id, e.level::float8 as value,
      null::text as class_id, r.started_at as at_key
    from external_assessment_scores e join import_runs r on r.id = e.import_run_id
    where e.org_sourced_id in ${orgs} and e.provider = 'ixl' and e.assessment = 'diagnostic'
      and e.strand = 'overall' and e.subject = ${q.subject ?? 'math'}
      ${q.period === null ? sql`` : sql`and e.period = ${q.period}`}
      ${
        inClass
          ? sql`and e.user_sourced_id in (select user_sourced_id from enrollments
              where class_sourced_id = ${cohort.id} and role = 'student')`
          : sql``
      }`
}

/**
 * Reads a cohort's observations (one per learner).
 * @example await loadCohortData(db, ['org-school-01'], { scope: 'grade', id: '09' }, query)
 */
export async function loadCohortData(
  db: Database,
  subtree: readonly string[],
  cohort: CohortRef,
  q: ScoreQuery,
): Promise<CohortData> {
  const orgs = inOrgs(subtree)
  const scopeFilter =
    cohort.scope === 'grade'
      ? sql`where (u.grades)[1] = ${cohort.id} and sch.school_id is not null`
      : cohort.scope === 'school'
        ? sql`where sch.school_id = ${cohort.id}`
        : sql``
  // The best score first for `best`, the newest row first for `latest`; numeric rows first.
  const order =
    q.pick === 'best' && q.score !== 'ixl' ? sql`s.value desc, s.at_key desc` : sql`s.at_key desc`
  const result = await db.execute(sql`
    select distinct on (s.user_id) s.value, s.class_id, cl.title as class_title,
      (u.grades)[1] as grade, sch.school_id, o.name as school_name
    from (${sourceRows(orgs, cohort, q)}) s
    join users u on u.sourced_id = s.user_id
    left join classes cl on cl.sourced_id = s.class_id
    left join lateral (
      select min(ur.org_sourced_id) as school_id from user_roles ur
      where ur.user_sourced_id = s.user_id and ur.role = 'student' and ur.org_sourced_id in ${orgs}
    ) sch on true
    left join orgs o on o.sourced_id = sch.school_id
    ${scopeFilter}
    order by s.user_id, (s.value is null or s.value = 'NaN'::float8), ${order}`)
  const labels: Record<string, string> = {}
  const observations = (result as unknown as { rows: Record<string, unknown>[] }).rows.map(
    (row): Observation => {
      const classId = textOrNull(row.class_id)
      const schoolId = textOrNull(row.school_id)
      if (classId !== null) labels[classId] = String(row.class_title ?? classId)
      if (schoolId !== null) labels[schoolId] = String(row.school_name ?? schoolId)
      return [numberOrNull(row.value), classId, textOrNull(row.grade), schoolId]
    },
  )
  return { observations, labels }
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value)
}

/** float8 arrives as a number (pg) or a string (`'NaN'`); anything not finite is no score. */
function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}
