/**
 * Writing a generated data set to the campus database, and the two checks around it
 * (`isDatabaseEmpty`, `resetDatabase`).
 *
 * @module
 */
import { getTableColumns, getTableName, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Database } from '../db/client.js'
import { courses, schema } from '../db/schema.js'
import { type Dataset, TABLE_ORDER, type TableName } from './dataset.js'

/** Progress of {@link writeDataset}: rows of `table` written so far, of `total`. */
export interface WriteProgress {
  table: TableName
  done: number
  total: number
}

/** Options of {@link writeDataset}. */
export interface WriteOptions {
  /**
   * Empty every campus table first, in the same transaction, so a failed write leaves the old
   * rows in place rather than an empty database.
   */
  reset?: boolean
}

/** PostgreSQL's limit on bind parameters in one statement (a 16-bit count). */
const MAX_PARAMETERS = 65_535
/**
 * Rows per INSERT at most. Beyond a few thousand rows, bigger statements stop getting faster
 * and only cost memory (Drizzle builds the whole SQL string).
 */
const MAX_ROWS_PER_INSERT = 4_000

/** Rows per multi-row INSERT for `table`: one parameter per column per row, under the limit. */
export function batchSize(table: PgTable): number {
  const columns = Object.keys(getTableColumns(table)).length
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns)))
}

/**
 * Inserts every row of `dataset`, tables in foreign-key order, with multi-row INSERTs, all in
 * one transaction: a failure leaves the database as it was, never half-seeded.
 *
 * @param onProgress called after each INSERT (and once per empty table) with the running count.
 * @param options `reset` truncates every table first, inside the same transaction.
 * @example
 * await writeDataset(db, generateDataset({ scale: 'small' }))
 */
export async function writeDataset(
  db: Database,
  dataset: Dataset,
  onProgress?: (progress: WriteProgress) => void,
  options: WriteOptions = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    if (options.reset) await tx.execute(truncateStatement())
    for (const name of TABLE_ORDER) {
      const table: PgTable = schema[name]
      const rows = dataset[name]
      const size = batchSize(table)
      if (rows.length === 0) onProgress?.({ table: name, done: 0, total: 0 })
      for (let start = 0; start < rows.length; start += size) {
        const batch = rows.slice(start, start + size)
        await insertRows(tx, table, batch)
        onProgress?.({ table: name, done: start + batch.length, total: rows.length })
      }
    }
  })
}

/**
 * One multi-row INSERT. Rows that all set the same columns (every generated batch) go as one
 * JSON parameter expanded by `jsonb_populate_recordset`: building a 40,000-parameter statement
 * in Drizzle costs more CPU than PostgreSQL spends inserting, and one parameter also keeps far
 * below the 65,535 limit. Rows with differing columns take Drizzle's plain VALUES insert, so
 * omitted columns still get their defaults.
 */
async function insertRows(
  tx: Pick<Database, 'insert' | 'execute'>,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const columns = Object.entries(getTableColumns(table))
  const first = rows[0] ?? {}
  const present = columns.filter(([key]) => first[key] !== undefined)
  const uniform = rows.every((row) =>
    columns.every(([key]) => (row[key] === undefined) === (first[key] === undefined)),
  )
  if (!uniform) {
    // The table is chosen at run time, so its row type is not known statically here;
    // the Dataset type already ties each array to its table.
    await tx.insert(table).values(rows as PgTable['$inferInsert'][])
    return
  }
  const json = JSON.stringify(
    rows.map((row) => {
      const record: Record<string, unknown> = {}
      for (const [key, column] of present) record[column.name] = row[key]
      return record
    }),
  )
  const names = sql.join(
    present.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  )
  await tx.execute(
    sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb)`,
  )
}

/** Deletes every row of every campus table (TRUNCATE … CASCADE, one statement). */
export async function resetDatabase(db: Database): Promise<void> {
  await db.execute(truncateStatement())
}

function truncateStatement(): SQL {
  const names = TABLE_ORDER.map((name) => sql.identifier(getTableName(schema[name])))
  return sql`TRUNCATE ${sql.join(names, sql`, `)} CASCADE`
}

/** True when the database holds no course (seeding it cannot clash with existing content). */
export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ id: courses.sourcedId }).from(courses).limit(1)
  return rows.length === 0
}
