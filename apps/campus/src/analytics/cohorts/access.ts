/**
 * Who may see which cohort (docs/analytics.md, "Cohorts"): students none; teachers the classes
 * they teach; administrators (and operators, in their session's organisation) every class,
 * grade level and school of their organisation and its descendants. A cohort that does not
 * exist there is 404 whatever the role, so other tenants' ids cannot be confirmed; a teacher
 * asking for a class they do not teach is 403. Filters naming a course or a period are checked
 * to exist too, which is what bounds the cache keys built from them.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { OrgContext } from '../../auth/principal.js'
import type { Database } from '../../db/client.js'
import { CohortError, notFound } from './errors.js'
import type { CohortRef, ScoreQuery } from './params.js'

/** A cohort that exists and that the caller may see. */
export interface ResolvedCohort extends CohortRef {
  /** What the page calls it (`Algebra 1 — period 2`, `Grade 09`, `Lincoln High`). */
  readonly label: string
}

type Row = Record<string, unknown>

async function rows(db: Database, query: ReturnType<typeof sql>): Promise<Row[]> {
  // Both drivers answer `{ rows }`.
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows
}

/** `in (…)` over the organisations of the session's subtree. */
export function inOrgs(subtree: readonly string[]): ReturnType<typeof sql> {
  return sql`(${sql.join(
    subtree.map((o) => sql`${o}`),
    sql`, `,
  )})`
}

/** Refuses a role before any data is read: students never, teachers classes only. */
export function checkRole(ctx: OrgContext, scope: CohortRef['scope']): void {
  const { principal } = ctx
  if (principal.operator || principal.role === 'administrator') return
  if (principal.role === 'teacher' && scope === 'class') return
  throw new CohortError(
    'E_FORBIDDEN',
    403,
    principal.role === 'teacher'
      ? 'Teachers see the cohorts of the classes they teach.'
      : 'Cohorts are for teachers and administrators.',
  )
}

/**
 * The cohort if it exists in `subtree` and the caller may see it.
 * @throws {@link CohortError} 403 or 404
 */
export async function resolveCohort(
  db: Database,
  ctx: OrgContext,
  subtree: readonly string[],
  ref: CohortRef,
): Promise<ResolvedCohort> {
  checkRole(ctx, ref.scope)
  const orgs = inOrgs(subtree)
  if (ref.scope === 'class') {
    const [row] = await rows(
      db,
      sql`select c.title, exists (
            select 1 from enrollments e where e.class_sourced_id = c.sourced_id
              and e.user_sourced_id = ${ctx.principal.userId} and e.role = 'teacher'
              and e.status = 'active') as teaches
          from classes c where c.sourced_id = ${ref.id} and c.school_sourced_id in ${orgs}`,
    )
    if (!row) throw notFound('class')
    const admin = ctx.principal.operator || ctx.principal.role === 'administrator'
    if (!admin && row.teaches !== true) {
      throw new CohortError('E_FORBIDDEN', 403, 'You do not teach this class.')
    }
    return { ...ref, label: String(row.title) }
  }
  if (ref.scope === 'grade') {
    const [row] = await rows(
      db,
      sql`select 1 from users u join user_roles ur on ur.user_sourced_id = u.sourced_id
          where (u.grades)[1] = ${ref.id} and ur.role = 'student' and ur.org_sourced_id in ${orgs}
          limit 1`,
    )
    if (!row) throw notFound('grade level')
    return { ...ref, label: `Grade ${ref.id}` }
  }
  const [row] = await rows(
    db,
    sql`select name from orgs where sourced_id = ${ref.id} and sourced_id in ${orgs}`,
  )
  if (!row) throw notFound('school')
  return { ...ref, label: String(row.name) }
}

/**
 * Checks that the course and period filters name something of `subtree` (404 otherwise), so a
 * cache key never carries an arbitrary string.
 */
export async function checkFilters(
  db: Database,
  subtree: readonly string[],
  scores: ScoreQuery,
): Promise<void> {
  const orgs = inOrgs(subtree)
  if (scores.course !== null) {
    const found =
      scores.score === 'quiz'
        ? await rows(
            db,
            sql`select 1 from courses where sourced_id = ${scores.course} and org_sourced_id in ${orgs}`,
          )
        : await rows(
            db,
            sql`select 1 from toddle_term_grades where course_ref = ${scores.course}
                and org_sourced_id in ${orgs} limit 1`,
          )
    if (found.length === 0) throw notFound('course')
  }
  if (scores.period !== null) {
    const found =
      scores.score === 'ixl'
        ? await rows(
            db,
            sql`select 1 from external_assessment_scores where period = ${scores.period}
                and org_sourced_id in ${orgs} limit 1`,
          )
        : await rows(
            db,
            sql`select 1 from toddle_term_grades where grading_period_ref = ${scores.period}
                and org_sourced_id in ${orgs} limit 1`,
          )
    if (found.length === 0) throw notFound('period')
  }
}
