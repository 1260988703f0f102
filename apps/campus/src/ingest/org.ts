/**
 * The organisation an import writes into must exist: checked before a run is recorded.
 *
 * @module
 */
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { orgs } from '../db/schema.js'
import { ImportUsageError } from './errors.js'

/** Throws {@link ImportUsageError} unless `orgSourcedId` names an organisation. */
export async function requireOrg(db: Database, orgSourcedId: string): Promise<void> {
  const [row] = await db
    .select({ id: orgs.sourcedId })
    .from(orgs)
    .where(eq(orgs.sourcedId, orgSourcedId))
    .limit(1)
  if (!row) throw new ImportUsageError(`no organisation ${JSON.stringify(orgSourcedId)}`)
}
