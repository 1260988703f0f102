/**
 * Which organisations' courses a learner may practise: their own organisation and its
 * ancestors (a school's learners take the district's courses). Read from the database, the
 * authority, on each use: it is a primary-key walk of a few rows, only for signed-in learners.
 *
 * @module
 */
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { orgs } from '../db/schema.js'

/** Deeper hierarchies than this are cut off (and a cycle in bad data cannot loop forever). */
const MAX_DEPTH = 8

/**
 * `orgId` followed by its parent, grandparent, … (as far as the rows reach).
 * @example await orgLineage(db, 'org-school-01') // ['org-school-01', 'org-district']
 */
export async function orgLineage(db: Database, orgId: string): Promise<string[]> {
  const lineage = [orgId]
  let current: string | null = orgId
  while (current !== null && lineage.length <= MAX_DEPTH) {
    const [row] = await db
      .select({ parent: orgs.parentSourcedId })
      .from(orgs)
      .where(eq(orgs.sourcedId, current))
    const parent: string | null = row?.parent ?? null
    if (parent === null || lineage.includes(parent)) break
    lineage.push(parent)
    current = parent
  }
  return lineage
}
