/**
 * A real, migrated campus database for a test file: a private schema on the server at
 * `DATABASE_URL` when it is set (so suites sharing the server never see each other's rows),
 * else an in-memory PGlite. `close()` drops the schema.
 *
 * @example
 * const handle = await openCampusTestDatabase()
 * await writeDataset(handle.db, generateDataset({ scale: 'small' }))
 * // ...
 * await handle.close()
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js'

/** A test database plus the schema name other processes need to open the same one. */
export interface CampusTestDatabase extends DatabaseHandle {
  /** The private schema on `DATABASE_URL`; undefined for PGlite. */
  pgSchema: string | undefined
  url: string | undefined
}

/** Opens a fresh, migrated database (see the module comment for which one). */
export async function openCampusTestDatabase(
  url: string | undefined = process.env.DATABASE_URL,
): Promise<CampusTestDatabase> {
  if (!url) {
    const handle = await openDatabase()
    return Object.assign(handle, { pgSchema: undefined, url: undefined })
  }
  const pgSchema = `campus_t_${randomBytes(5).toString('hex')}`
  const handle = await openDatabase({ url, pgSchema, poolSize: 4 })
  const close = async (): Promise<void> => {
    await handle.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`)
    } finally {
      await client.end()
    }
  }
  return {
    db: handle.db,
    kind: handle.kind,
    get queryCount() {
      return handle.queryCount
    },
    close,
    pgSchema,
    url,
  }
}
