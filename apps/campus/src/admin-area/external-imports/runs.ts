/**
 * Import runs as the admin area shows them: one run by id, only when the caller may see its
 * organisation (another organisation's run is "not found"), and the latest runs of a source.
 *
 * @module
 */
import { and, desc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { type ImportSource, importRuns } from '../../db/schema.js'
import { type AdminAccess, canSeeOrg } from '../access.js'
import { AdminAreaError } from '../errors.js'

/** A run row. */
export type ImportRunRow = typeof importRuns.$inferSelect

/** The run `id`, or 404 when it does not exist or belongs to an organisation out of scope. */
export async function visibleRun(
  db: Database,
  access: AdminAccess,
  id: string,
): Promise<ImportRunRow> {
  const [row] = /^[0-9a-f-]{36}$/.test(id)
    ? await db.select().from(importRuns).where(eq(importRuns.id, id)).limit(1)
    : []
  if (!row || row.orgSourcedId === null || !canSeeOrg(access, row.orgSourcedId)) {
    throw new AdminAreaError('E_NOT_FOUND', 404, 'import run not found')
  }
  return row
}

/** The latest runs of `source` for `orgId`, newest first. */
export function latestRuns(
  db: Database,
  orgId: string,
  source: ImportSource,
  limit = 10,
): Promise<ImportRunRow[]> {
  return db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.orgSourcedId, orgId), eq(importRuns.source, source)))
    .orderBy(desc(importRuns.startedAt))
    .limit(limit)
}

/** What the progress script polls: the counters and the outcome, nothing else. */
export function runProgress(row: ImportRunRow) {
  return {
    id: row.id,
    status: row.status,
    filesTotal: row.filesTotal,
    filesDone: row.filesDone,
    rowsRead: row.rowsRead,
    rowsInserted: row.rowsInserted,
    rowsUpdated: row.rowsUpdated,
    rowsUnchanged: row.rowsUnchanged,
    rowsRejected: row.rowsRejected,
    problemCount: row.problemCount,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}
