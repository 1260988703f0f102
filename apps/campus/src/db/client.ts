import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { Logger as DrizzleLogger } from 'drizzle-orm'
import { type MigrationConfig, type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import { makePrivateDir, restrictTree } from './private-files.js'
import { schema } from './schema.js'

/** The Drizzle database campus code uses, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

/** An open database plus what the process needs around it. */
export interface DatabaseHandle {
  db: Database
  /** `pg` for a PostgreSQL server, `pglite` for the embedded one. */
  kind: 'pg' | 'pglite'
  /**
   * Statements sent since start. Benchmarks and tests read it to prove "0 database queries per
   * view once warm"; it counts what Drizzle sends, which is every campus query.
   */
  readonly queryCount: number
  close(): Promise<void>
}

/** Where to find the database. */
export interface DatabaseOptions {
  /** `postgres://…`; unset → embedded PGlite. */
  url?: string | undefined
  /**
   * PGlite's data directory; unset (with no `url`) → in memory. Created (or set) mode 0700, and
   * its files made owner-only when the database opens and closes (`private-files.ts`).
   */
  dataDir?: string | undefined
  /**
   * PostgreSQL schema to use instead of `public` (created when missing). Tests give each suite
   * its own, so suites sharing one server cannot see each other's rows.
   */
  pgSchema?: string | undefined
  /** Pool size for `pg`. @default 10 */
  poolSize?: number
}

/**
 * `drizzle/` of the campus package: the nearest ancestor of this module that has one. The module
 * is `src/db/client.ts` under tsx and `dist/main.js` in the production build, so a fixed
 * relative path would be right for only one of them.
 */
function findMigrationsFolder(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'drizzle')
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate
    if (dirname(dir) === dir) throw new Error(`no drizzle/ migrations folder above ${from}`)
  }
}

const migrationsFolder = findMigrationsFolder(dirname(fileURLToPath(import.meta.url)))
// Any constant works; it only has to be the same in every campus process sharing a server.
const MIGRATION_LOCK = 7_261_001

/**
 * Opens the database and applies pending migrations. With `url`, several campus processes may
 * start at once: migrations run under a PostgreSQL advisory lock, so exactly one applies them.
 *
 * @example
 * const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.campus/pg' })
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  let count = 0
  const logger: DrizzleLogger = {
    logQuery: () => {
      count++
    },
  }
  const schemaName = options.pgSchema
  if (schemaName !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName)) {
    throw new Error(
      `pgSchema must be a lower-case SQL identifier, got ${JSON.stringify(schemaName)}`,
    )
  }

  if (options.url) {
    await migrateServer(options.url, schemaName)
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(schemaName ? { options: `-c search_path=${schemaName}` } : {}),
    })
    const db = drizzlePg(pool, { schema, logger }) as unknown as Database
    return {
      db,
      kind: 'pg',
      get queryCount() {
        return count
      },
      close: () => pool.end(),
    }
  }

  const dataDir = options.dataDir
  if (dataDir) makePrivateDir(dataDir)
  const client = new PGlite(dataDir)
  await client.waitReady
  if (schemaName)
    await client.exec(`CREATE SCHEMA IF NOT EXISTS ${schemaName}; SET search_path TO ${schemaName}`)
  const db = drizzlePglite(client, { schema, logger })
  await migratePglite(db, { migrationsFolder, migrationsSchema: schemaName ?? 'drizzle' })
  // Files created by start-up and migrations, and those an older campus left world-readable.
  if (dataDir) restrictTree(dataDir)
  count = 0
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    get queryCount() {
      return count
    },
    close: async () => {
      await client.close()
      if (dataDir) restrictTree(dataDir)
    },
  }
}

/** Applies migrations on one dedicated connection holding the advisory lock. */
async function migrateServer(url: string, schemaName: string | undefined): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    if (schemaName) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`)
      await client.query(`SET search_path TO ${schemaName}`)
    }
    const config = { migrationsFolder, migrationsSchema: schemaName ?? 'drizzle' }
    if (!schemaName) {
      await migratePg(drizzlePg(client), config)
    } else {
      // drizzle-kit qualifies references with "public". in newer migrations; in a private schema
      // those tables live in the schema on the search path, so the qualifier is dropped here
      // (the files stay as generated).
      // `dialect` and `session` are what drizzle's own `migrate` uses; they are typed internal.
      const db = drizzlePg(client) as unknown as {
        dialect: {
          migrate(m: MigrationMeta[], session: unknown, c: MigrationConfig): Promise<void>
        }
        session: unknown
      }
      const migrations = readMigrationFiles(config).map((m) => ({
        ...m,
        sql: m.sql.map((statement) => statement.replaceAll('"public".', '')),
      }))
      await db.dialect.migrate(migrations, db.session, config)
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}
