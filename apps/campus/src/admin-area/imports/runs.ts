/**
 * Import runs as the admin area shows them: an organisation administrator sees their
 * organisation's runs, a campus operator every run. A run of another organisation answers
 * 404, as if it did not exist.
 *
 * @module
 */
import { desc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { importRuns } from '../../db/schema.js'
import type { AdminAccess } from '../access.js'
import { AdminAreaError } from '../errors.js'

/** A run row. */
export type ImportRunRow = typeof importRuns.$inferSelect

/** The latest runs the caller may see. */
export async function listImportRuns(
  db: Database,
  access: AdminAccess,
  limit = 50,
): Promise<ImportRunRow[]> {
  const query = db.select().from(importRuns)
  const scoped =
    access.kind === 'org-admin' ? query.where(eq(importRuns.orgSourcedId, access.orgId)) : query
  return scoped.orderBy(desc(importRuns.startedAt)).limit(limit)
}

/** One run, or 404 when it does not exist or belongs to another organisation. */
export async function getImportRun(
  db: Database,
  access: AdminAccess,
  id: string,
): Promise<ImportRunRow> {
  const notFound = new AdminAreaError('E_NOT_FOUND', 404, 'import run not found')
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound
  const [run] = await db.select().from(importRuns).where(eq(importRuns.id, id))
  if (!run) throw notFound
  if (access.kind === 'org-admin' && run.orgSourcedId !== access.orgId) throw notFound
  return run
}

/** The JSON the upload page polls. */
export function runJson(run: ImportRunRow) {
  return {
    id: run.id,
    source: run.source,
    origin: run.origin,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    filesTotal: run.filesTotal,
    filesDone: run.filesDone,
    rowsRead: run.rowsRead,
    rowsInserted: run.rowsInserted,
    rowsUpdated: run.rowsUpdated,
    rowsUnchanged: run.rowsUnchanged,
    rowsRejected: run.rowsRejected,
    rowsPerSecond: rowsPerSecond(run),
    problemCount: run.problemCount,
    problems: run.problems,
    error: run.error,
  }
}

/** Rows read per second, over the run so far (or its whole length once finished). */
export function rowsPerSecond(run: ImportRunRow): number {
  const end = run.finishedAt?.getTime() ?? Date.now()
  const seconds = (end - run.startedAt.getTime()) / 1000
  return seconds > 0 ? Math.round(run.rowsRead / seconds) : 0
}
