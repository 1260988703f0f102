/**
 * The per-organisation small-cohort threshold (docs/analytics.md, "Suppression"): cohorts and
 * groups with fewer scores than this show no statistics. Stored on `orgs.min_cohort_size`; null
 * inherits the nearest ancestor's setting, and the default applies when none has one.
 *
 * @module
 */
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '../../db/client.js'
import { orgs } from '../../db/schema.js'

/** The threshold when no organisation up the tree sets one. */
export const DEFAULT_MIN_COHORT_SIZE = 10
/** Bounds an administrator may choose within (below 5, a suppressed cell says too much). */
export const MIN_COHORT_SIZE_BOUNDS = { min: 5, max: 100 } as const

/** The form field: an integer within the bounds, or empty for "inherit" (null). */
export const minCohortSizeField = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
  z.coerce
    .number('is a number')
    .int('is a whole number')
    .min(MIN_COHORT_SIZE_BOUNDS.min, `is at least ${MIN_COHORT_SIZE_BOUNDS.min}`)
    .max(MIN_COHORT_SIZE_BOUNDS.max, `is at most ${MIN_COHORT_SIZE_BOUNDS.max}`)
    .nullable(),
)

/** The organisation's own setting (null: inherits; undefined: no such organisation). */
export async function ownMinCohortSize(
  db: Database,
  orgId: string,
): Promise<number | null | undefined> {
  const [row] = await db
    .select({ value: orgs.minCohortSize })
    .from(orgs)
    .where(eq(orgs.sourcedId, orgId))
  return row === undefined ? undefined : row.value
}

/**
 * The threshold in force for `orgId`: its own, else its nearest ancestor's, else the default.
 * Read from PostgreSQL on every request (one short recursive query): it decides what a page may
 * show, so it is never served stale from a cache.
 */
export async function effectiveMinCohortSize(db: Database, orgId: string): Promise<number> {
  const result = await db.execute(sql`
    with recursive up(sourced_id, parent, value, depth) as (
      select sourced_id, parent_sourced_id, min_cohort_size, 0 from orgs where sourced_id = ${orgId}
      union all
      select o.sourced_id, o.parent_sourced_id, o.min_cohort_size, up.depth + 1
      from orgs o join up on o.sourced_id = up.parent where up.depth < 8
    )
    select value from up where value is not null order by depth limit 1`)
  const [row] = (result as unknown as { rows: { value: number | string }[] }).rows
  return row ? Number(row.value) : DEFAULT_MIN_COHORT_SIZE
}

/** Sets (or clears, with null) the organisation's own threshold. */
export async function setMinCohortSize(
  db: Database,
  orgId: string,
  value: number | null,
): Promise<void> {
  await db.update(orgs).set({ minCohortSize: value }).where(eq(orgs.sourcedId, orgId))
}
