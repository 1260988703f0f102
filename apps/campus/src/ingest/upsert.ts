/**
 * Idempotent batch upserts for imported rows: a row whose natural key exists and whose values
 * are unchanged is left alone (its `import_run_id` still names the run that brought the values),
 * a changed one is updated, a new one inserted. The counts come back so a re-import can report
 * "0 inserted, 0 updated, N unchanged".
 *
 * @module
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Database } from '../db/client.js'

const MAX_PARAMETERS = 60_000

/** What a batch did. */
export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
}

/** A transaction (or the database) that can insert. */
export type Writer = Pick<Database, 'insert'>

/**
 * Upserts `rows` into `table` keyed on `key` (the columns of its natural unique index); every
 * other column except `id` is compared and, when different, overwritten.
 */
export async function upsertRows<T extends PgTable>(
  db: Writer,
  table: T,
  key: readonly PgColumn[],
  rows: readonly T['$inferInsert'][],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 }
  const columns = getTableColumns(table) as Record<string, PgColumn>
  // PostgreSQL's protocol allows 65,535 parameters per statement; a wide batch is split.
  const perStatement = Math.floor(MAX_PARAMETERS / Object.keys(columns).length)
  if (rows.length > perStatement) {
    const total: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 }
    for (let i = 0; i < rows.length; i += perStatement) {
      const part = await upsertRows(db, table, key, rows.slice(i, i + perStatement))
      total.inserted += part.inserted
      total.updated += part.updated
      total.unchanged += part.unchanged
    }
    return total
  }
  const keyNames = new Set(key.map((c) => c.name))
  const compared = Object.entries(columns).filter(
    ([, c]) => c.name !== 'id' && c.name !== 'import_run_id' && !keyNames.has(c.name),
  )
  const set: Record<string, SQL> = {}
  for (const [prop, column] of compared) set[prop] = sql.raw(`excluded."${column.name}"`)
  set.importRunId = sql.raw('excluded."import_run_id"')
  const current = sql.join(
    compared.map(([, c]) => sql`${c}`),
    sql`, `,
  )
  const incoming = sql.join(
    compared.map(([, c]) => sql.raw(`excluded."${c.name}"`)),
    sql`, `,
  )
  const returned = (await db
    .insert(table)
    .values(rows as T['$inferInsert'][])
    .onConflictDoUpdate({
      target: [...key],
      set,
      setWhere: sql`(${current}) is distinct from (${incoming})`,
    })
    // xmax is 0 on a freshly inserted tuple and set on an updated one.
    .returning({ inserted: sql<boolean>`(xmax = 0)` })) as { inserted: boolean }[]
  const inserted = returned.filter((r) => r.inserted).length
  const updated = returned.length - inserted
  return { inserted, updated, unchanged: rows.length - returned.length }
}
