import { type TestDatabase, uniqueName } from '../db.js'

/** A table of rows the counters count: one row per committed "pending request". */
export class CountedTable {
  constructor(
    readonly db: TestDatabase,
    readonly name = uniqueName('pending'),
  ) {}

  async create(): Promise<void> {
    await this.db.query(`CREATE TABLE ${this.name} (id serial PRIMARY KEY, org_id text NOT NULL)`)
  }

  async drop(): Promise<void> {
    await this.db.query(`DROP TABLE IF EXISTS ${this.name}`)
  }

  /** Inserts one row (its own transaction: committed when this resolves). */
  async insert(orgId: string): Promise<void> {
    await this.db.query(`INSERT INTO ${this.name} (org_id) VALUES ($1)`, [orgId])
  }

  async count(orgId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.name} WHERE org_id = $1`,
      [orgId],
    )
    return rows[0]?.n ?? 0
  }
}
