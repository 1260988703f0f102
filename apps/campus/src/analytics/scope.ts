/**
 * Which organisations an analytics view of one organisation covers: the organisation itself and
 * every organisation below it (a district's administrator sees its schools; a school's sees that
 * school only). Search, reports, dashboards and cohorts all read through this, so no two views
 * disagree on what "this organisation's data" means; {@link orgAncestry} is the other direction,
 * which views a change makes stale.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'

/** Deeper hierarchies than this are cut off (a cycle in bad data cannot loop forever). */
export const MAX_ORG_DEPTH = 8

/**
 * `orgId` followed by its descendants, breadth first. One recursive query: the hierarchy is a
 * handful of rows, so it is read from PostgreSQL (the authority) rather than cached.
 *
 * @example await orgSubtree(db, 'org-district') // ['org-district', 'org-school-01', …]
 */
export async function orgSubtree(db: Database, orgId: string): Promise<string[]> {
  const result = await db.execute(sql`
    with recursive tree(sourced_id, depth) as (
      select sourced_id, 0 from orgs where sourced_id = ${orgId}
      union
      select o.sourced_id, t.depth + 1 from orgs o join tree t on o.parent_sourced_id = t.sourced_id
      where t.depth < ${MAX_ORG_DEPTH}
    )
    select sourced_id from tree group by sourced_id order by min(depth), sourced_id`)
  // Both drivers answer `{ rows }`.
  return (result as { rows: { sourced_id: string }[] }).rows.map((row) => row.sourced_id)
}

/**
 * `orgIds` and every organisation above them, in no particular order: whose cached views a
 * change in `orgIds` makes stale (a district's views cover its schools). An id no row has any
 * more (an import just deleted it) is kept, so its own entries are still dropped.
 */
export async function orgAncestry(db: Database, orgIds: readonly string[]): Promise<string[]> {
  if (orgIds.length === 0) return []
  const result = await db.execute(sql`
    with recursive up(sourced_id, parent, depth) as (
      select sourced_id, parent_sourced_id, 0 from orgs
      where sourced_id in (${sql.join(
        orgIds.map((id) => sql`${id}`),
        sql`, `,
      )})
      union
      select o.sourced_id, o.parent_sourced_id, u.depth + 1 from orgs o
      join up u on o.sourced_id = u.parent
      where u.depth < ${MAX_ORG_DEPTH}
    )
    select distinct sourced_id from up`)
  const found = (result as { rows: { sourced_id: string }[] }).rows.map((r) => r.sourced_id)
  return [...new Set([...orgIds, ...found])]
}
