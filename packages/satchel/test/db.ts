/**
 * A real Postgres for tests: the server at `DATABASE_URL` (through `pg`) when it is set, else an
 * embedded PGlite (Postgres compiled to WASM, in memory). Both speak the same SQL, so a test
 * written against one runs against the other.
 *
 * Tests share the server, so each creates its own uniquely named tables (see
 * {@link uniqueName}) and drops them when done.
 *
 * @example
 * ```ts
 * const db = await openTestDatabase()
 * const table = uniqueName('sessions')
 * await db.query(`CREATE TABLE ${table} (token_hash text PRIMARY KEY, user_id text NOT NULL)`)
 * const rows = await db.query<{ user_id: string }>(`SELECT user_id FROM ${table} WHERE token_hash = $1`, [h])
 * await db.query(`DROP TABLE ${table}`)
 * await db.close()
 * ```
 */
import { randomBytes } from 'node:crypto'

/** The little a test needs from a database. */
export interface TestDatabase {
  /** `pg` when `DATABASE_URL` is set, else `pglite`. */
  readonly kind: 'pg' | 'pglite'
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>
  close(): Promise<void>
}

/** Opens the test database (see the module comment for which one). */
export async function openTestDatabase(
  url: string | undefined = process.env.DATABASE_URL,
): Promise<TestDatabase> {
  if (url) {
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: url, max: 8 })
    return {
      kind: 'pg',
      async query<R>(sql: string, params: readonly unknown[] = []) {
        const result = await pool.query(sql, params as unknown[])
        return result.rows as R[]
      },
      close: () => pool.end(),
    }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const lite = await PGlite.create()
  return {
    kind: 'pglite',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await lite.query<R>(sql, params as unknown[])
      return result.rows
    },
    close: () => lite.close(),
  }
}

/** A table (or schema) name no other test run uses: `prefix_` + 12 random hex characters. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}
