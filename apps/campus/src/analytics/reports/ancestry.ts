/**
 * The organisations above some organisations (and themselves). Reports accept the academic
 * sessions of the session org's ancestors (a district's terms apply to its schools), and the
 * change handler drops the cached views of every organisation whose subtree an import touched.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'

/** Deeper hierarchies are cut off (a cycle in bad data cannot loop forever), as in scope.ts. */
const MAX_DEPTH = 8

/** `orgIds` and every organisation above them, in no particular order. */
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
      where u.depth < ${MAX_DEPTH}
    )
    select distinct sourced_id from up`)
  return (result as { rows: { sourced_id: string }[] }).rows.map((r) => r.sourced_id)
}
