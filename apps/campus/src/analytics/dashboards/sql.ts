/**
 * Two small helpers of the dashboard queries: rows of a raw query, and an `IN (…)` list.
 *
 * @module
 */
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'

/** Rows of a raw SQL query (both drivers answer `{ rows }`). */
export async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  const result = await db.execute(query)
  return (result as unknown as { rows: T[] }).rows
}

/** `(v1, v2, …)` of bound parameters; `(NULL)` for an empty list, which matches nothing. */
export function inList(values: readonly string[]): SQL {
  if (values.length === 0) return sql`(NULL)`
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`
}

/** The practice resource types (graded practice). */
export const PRACTICE_TYPE_LIST = sql`('exercise', 'quiz', 'unit-test', 'course-challenge')`
