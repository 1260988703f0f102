/**
 * The importers' upsert: new rows inserted, unchanged rows left alone (their run id kept),
 * changed rows updated, and a batch larger than one statement carries split, not refused.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { externalAssessmentScores, orgs, users } from '../../src/db/schema.js'
import { startRun } from '../../src/ingest/runs.js'
import { ROWS_PER_STATEMENT, upsertRows } from '../../src/ingest/upsert.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'

let database: CampusTestDatabase
beforeAll(async () => {
  database = await openCampusTestDatabase()
  await database.db.insert(orgs).values({ sourcedId: 'org-u', name: 'U', type: 'school' })
  await database.db
    .insert(users)
    .values({ sourcedId: 'u-1', username: 'u-1', givenName: 'A', familyName: 'B' })
})
afterAll(async () => {
  await database?.close()
})

describe('upsertRows', { timeout: 120_000 }, () => {
  it('inserts, leaves unchanged rows alone, updates changed ones; splits a wide batch', async () => {
    const t = externalAssessmentScores
    const key = [
      t.orgSourcedId,
      t.provider,
      t.assessment,
      t.subject,
      t.period,
      t.userSourcedId,
      t.strand,
    ]
    // More rows than one statement carries: the batch is split, and the counts add up.
    const n = ROWS_PER_STATEMENT + 500
    const rows = (runId: string, level: (i: number) => number) =>
      Array.from({ length: n }, (_, i) => ({
        orgSourcedId: 'org-u',
        userSourcedId: 'u-1',
        provider: 'ixl',
        assessment: 'diagnostic',
        subject: 'math',
        strand: `strand-${i}`,
        period: '',
        level: level(i),
        importRunId: runId,
      }))
    const first = await startRun(database.db, { source: 'ixl-csv', origin: 'a', via: 'cli' })
    expect(
      await upsertRows(
        database.db,
        t,
        key,
        rows(first.id, (i) => i),
      ),
    ).toEqual({
      inserted: n,
      updated: 0,
      unchanged: 0,
    })
    const second = await startRun(database.db, { source: 'ixl-csv', origin: 'a', via: 'cli' })
    expect(
      await upsertRows(
        database.db,
        t,
        key,
        rows(second.id, (i) => i),
      ),
    ).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: n,
    })
    const third = await startRun(database.db, { source: 'ixl-csv', origin: 'a', via: 'cli' })
    const changed = await upsertRows(
      database.db,
      t,
      key,
      // Changes in the first and in the last statement of the split batch.
      rows(third.id, (i) => (i < 5 || i >= n - 5 ? -1 : i)),
    )
    expect(changed).toEqual({ inserted: 0, updated: 10, unchanged: n - 10 })
    const byRun = await database.db
      .select({ run: t.importRunId, level: t.level })
      .from(t)
      .where(eq(t.level, -1))
    expect(byRun).toHaveLength(10)
    expect(byRun.every((r) => r.run === third.id)).toBe(true)
    const untouched = await database.db
      .select({ run: t.importRunId })
      .from(t)
      .where(eq(t.strand, 'strand-20'))
    expect(untouched).toEqual([{ run: first.id }])
  })
})
