/**
 * Writing a checked set: each staged file is upserted into its table (in dependency order) and
 * a bulk file then retires the rows it no longer lists. A row whose values did not change is
 * not written at all (`IS DISTINCT FROM` guard), so re-running an import changes nothing and
 * its counters say so.
 *
 * Bulk semantics: the file is the complete set of its kind among rows that earlier OneRoster
 * imports brought (rows campus made itself are never touched), within the `--org` tree when one
 * is given (then only files with an organisation column retire rows). Retiring a row sets its
 * status to `tobedeleted`, as OneRoster does: nothing is hard-deleted, so sign-ins, attempts and
 * results that point at the row keep their history.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { FileSpec } from './files.js'
import { queryRows, stageTable, type Tx } from './stage.js'

/** Rows written by one file. */
export interface ApplyCounts {
  inserted: number
  updated: number
  retired: number
}

/** Upserts the staged rows of `spec` (only `columns`, the ones the file carried). */
export async function upsertFile(
  tx: Tx,
  spec: FileSpec,
  columns: readonly string[],
  runId: string,
): Promise<{ inserted: number; updated: number }> {
  const table = sql.identifier(spec.table)
  const names = sql.join(
    [...columns.map((c) => sql.identifier(c)), sql.identifier('import_run_id')],
    sql`, `,
  )
  const values = sql.join(
    [...columns.map((c) => sql`s.${sql.identifier(c)}`), sql`${runId}::uuid`],
    sql`, `,
  )
  const changed = columns.filter((c) => c !== 'sourced_id')
  const sets = sql.join(
    [...changed, 'import_run_id'].map(
      (c) => sql`${sql.identifier(c)} = excluded.${sql.identifier(c)}`,
    ),
    sql`, `,
  )
  const before = sql.join(
    changed.map((c) => sql`${table}.${sql.identifier(c)}`),
    sql`, `,
  )
  const after = sql.join(
    changed.map((c) => sql`excluded.${sql.identifier(c)}`),
    sql`, `,
  )
  const [row] = await queryRows<{ inserted: number; updated: number }>(
    tx,
    sql`WITH up AS (
          INSERT INTO ${table} (${names}) SELECT ${values} FROM ${stageTable(spec)} s
          ON CONFLICT (sourced_id) DO UPDATE SET ${sets}
          WHERE (${before}) IS DISTINCT FROM (${after})
          RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
               count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
  )
  return { inserted: row?.inserted ?? 0, updated: row?.updated ?? 0 }
}

/** For a bulk file: marks `tobedeleted` the imported rows the file no longer lists. */
export async function retireAbsent(
  tx: Tx,
  spec: FileSpec,
  runId: string,
  orgId: string | undefined,
): Promise<number> {
  if (orgId !== undefined && !spec.orgColumn) return 0
  const table = sql.identifier(spec.table)
  const scope =
    orgId !== undefined && spec.orgColumn
      ? sql`AND t.${sql.identifier(spec.orgColumn)} IN (SELECT id FROM scope_orgs)`
      : sql``
  const [row] = await queryRows<{ retired: number }>(
    tx,
    sql`WITH gone AS (
          UPDATE ${table} t SET status = 'tobedeleted', date_last_modified = now(), import_run_id = ${runId}::uuid
          WHERE t.import_run_id IS NOT NULL AND t.status <> 'tobedeleted' ${scope}
            AND NOT EXISTS (SELECT 1 FROM ${stageTable(spec)} s WHERE s.sourced_id = t.sourced_id)
          RETURNING 1)
        SELECT count(*)::int AS retired FROM gone`,
  )
  return row?.retired ?? 0
}
