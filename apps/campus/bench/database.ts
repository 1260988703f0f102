/**
 * The database a campus benchmark runs on: a private schema on `DATABASE_URL` (dropped at the
 * end), else embedded PGlite in memory.
 */
import { type DatabaseHandle, openDatabase } from '../src/db/client.js'

/** A benchmark's database and how to remove it. */
export type BenchDatabase = DatabaseHandle & { drop(): Promise<void> }

/** Opens schema `campus_bench_<name>_<pid>` on `DATABASE_URL`, else PGlite. */
export async function openBenchDatabase(name: string, poolSize = 10): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL
  if (!url) return Object.assign(await openDatabase(), { drop: async () => {} })
  const schema = `campus_bench_${name}_${process.pid}`
  const handle = await openDatabase({ url, pgSchema: schema, poolSize })
  return Object.assign(handle, {
    async drop() {
      const pg = await import('pg')
      const client = new pg.default.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    },
  })
}
