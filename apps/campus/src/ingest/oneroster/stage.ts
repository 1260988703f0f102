/**
 * Staging: checked rows go to a temporary table per file (dropped at commit or rollback) inside
 * the import's transaction. The cross-file checks (duplicate ids, references, usernames,
 * organisation scope) then run as SQL over the staged rows and the existing tables, so memory
 * does not grow with the set: nothing but one batch is ever held in the process.
 *
 * @module
 */
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import type { FileSpec } from './files.js'
import type { StagedRow } from './read-csv.js'

/** The database handle inside the import's transaction. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0]

/** The rows of a query, whichever driver ran it (both return `{ rows }`). */
export async function queryRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/** The staging table of a file (`stage_users`); names come from the file list, never input. */
export function stageTable(spec: FileSpec): ReturnType<typeof sql.identifier> {
  return sql.identifier(`stage_${spec.table}`)
}

/** Columns of `spec` that map to the database. */
export function storedColumns(spec: FileSpec): string[] {
  return spec.fields.flatMap((f) => (f.column ? [f.column] : []))
}

/** Creates the file's staging table with the target's column types, `row_no` and `rejected`. */
export async function createStage(tx: Tx, spec: FileSpec): Promise<void> {
  const columns = sql.join(
    storedColumns(spec).map((c) => sql.identifier(c)),
    sql`, `,
  )
  await tx.execute(
    sql`CREATE TEMP TABLE ${stageTable(spec)} ON COMMIT DROP AS SELECT 0::int AS row_no, false AS rejected, ${columns} FROM ${sql.identifier(spec.table)} WITH NO DATA`,
  )
}

/**
 * Inserts a batch as one JSON parameter expanded by `jsonb_populate_recordset`: one parameter
 * whatever the batch size, and the JSON types (arrays, objects) convert to the column types.
 */
export async function stageRows(tx: Tx, spec: FileSpec, rows: StagedRow[]): Promise<void> {
  const table = stageTable(spec)
  await tx.execute(
    sql`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(rows)}::jsonb)`,
  )
}

/** Indexes the staged ids once every row is in, for the checks' joins. */
export async function indexStage(tx: Tx, spec: FileSpec): Promise<void> {
  await tx.execute(sql`CREATE INDEX ON ${stageTable(spec)} (sourced_id)`)
  await tx.execute(sql`ANALYZE ${stageTable(spec)}`)
}
