/**
 * OneRoster 1.2 CSV round trip: a database exported, imported into an empty database and
 * exported again gives identical files (directory and zip); a re-import changes nothing; a
 * delta file updates and retires rows; the import run records it all.
 */
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/client.js'
import { importRuns, results, users } from '../../src/db/schema.js'
import { exportOneRoster } from '../../src/ingest/oneroster/export.js'
import { FILES } from '../../src/ingest/oneroster/files.js'
import { importOneRoster } from '../../src/ingest/oneroster/import.js'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { countRows, readSet, removeDir, tempDir, validSet, writeSet } from './oneroster-support.js'

let seeded: CampusTestDatabase
let empty: CampusTestDatabase
const dirs: string[] = []

// Opening a migrated database is the slow part on a loaded machine: two for the whole file,
// each with its own generous bound; `empty` is emptied again before each test that needs it.
beforeAll(async () => {
  seeded = await openCampusTestDatabase()
  await writeDataset(seeded.db, generateDataset({ scale: 'small' }))
  // The small data set has no gradebook: add one through an import so every file has rows.
  const set = validSet()
  const dir = await writeSet(set)
  dirs.push(dir)
  const gradebook = await importOneRoster(seeded.db, { path: dir, via: 'cli' })
  expect(gradebook.problems).toEqual([])
}, 180_000)
beforeAll(async () => {
  empty = await openCampusTestDatabase()
}, 180_000)
beforeEach(async () => {
  await emptyOneRoster(empty.db)
})

/** Deletes every OneRoster row (and what hangs on them) and every import run. */
async function emptyOneRoster(db: Database): Promise<void> {
  const tables = [...FILES.map((f) => f.table), 'import_runs'].map((t) => sql.identifier(t))
  await db.execute(sql`TRUNCATE ${sql.join(tables, sql`, `)} CASCADE`)
}

afterAll(async () => {
  await seeded?.close()
  await empty?.close()
  for (const dir of dirs) await removeDir(dir)
})

describe('OneRoster export → import → export', () => {
  it('gives identical files, and a re-import changes nothing', async () => {
    const base = await tempDir()
    dirs.push(base)
    const first = join(base, 'first')
    const counts = await exportOneRoster(seeded.db, first)
    expect(counts['users.csv']).toBeGreaterThan(10)
    expect(counts['results.csv']).toBe(1)

    const imported = await importOneRoster(empty.db, { path: first, via: 'cli' })
    expect(imported.problems).toEqual([])
    expect(imported.status).toBe('succeeded')
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    expect(imported.counts.rowsInserted).toBe(total)

    const second = join(base, 'second')
    await exportOneRoster(empty.db, second)
    expect(await readSet(second)).toEqual(await readSet(first))

    const again = await importOneRoster(empty.db, { path: first, via: 'cli' })
    expect(again.status).toBe('succeeded')
    expect(again.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: total })

    const [run] = await empty.db.select().from(importRuns).where(eq(importRuns.id, again.runId))
    expect(run).toMatchObject({
      status: 'succeeded',
      source: 'oneroster-csv',
      via: 'cli',
      rowsRead: total,
      rowsUnchanged: total,
      filesDone: 11,
      filesTotal: 11,
    })
    expect(run?.finishedAt).toBeInstanceOf(Date)
  })

  it('round-trips through zip files too', async () => {
    const base = await tempDir()
    dirs.push(base)
    const zip = join(base, 'set.zip')
    await exportOneRoster(seeded.db, zip)
    const target = empty
    const imported = await importOneRoster(target.db, { path: zip, via: 'cli' })
    expect(imported.problems).toEqual([])
    const [a, b] = [join(base, 'a'), join(base, 'b')]
    await exportOneRoster(seeded.db, a)
    await exportOneRoster(target.db, b)
    expect(await readSet(b)).toEqual(await readSet(a))
    const [run] = await target.db.select().from(importRuns).where(eq(importRuns.id, imported.runId))
    expect(run?.contentHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('applies a delta: updates one user, retires a result, leaves the rest', {
    timeout: 120_000,
  }, async () => {
    const db = empty
    const dir = await writeSet(validSet())
    dirs.push(dir)
    expect((await importOneRoster(db.db, { path: dir, via: 'cli' })).status).toBe('succeeded')
    const delta = await writeSet({
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2.1\nfile.users,delta\nfile.results,delta\n',
      'users.csv':
        'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n' +
        'u1,active,2024-09-01T00:00:00.000Z,false,ada,{SIS:1001},Ada,Byron,,1001,ada@example.org,,,,09,,,,,,,s1,she/her\n',
      'results.csv':
        'sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing\n' +
        'res1,tobedeleted,2024-09-02T00:00:00.000Z,li1,u1,fully graded,92.5,2024-09-16,Well done,A,k1,false,false,false,false\n',
    })
    dirs.push(delta)
    const result = await importOneRoster(db.db, { path: delta, via: 'cli' })
    expect(result.problems).toEqual([])
    expect(result.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 2 })
    expect(result.affected.userIds).toEqual(['u1'])
    const [ada] = await db.db.select().from(users).where(eq(users.sourcedId, 'u1'))
    expect(ada).toMatchObject({ familyName: 'Byron', enabledUser: false })
    const [alan] = await db.db.select().from(users).where(eq(users.sourcedId, 'u2'))
    expect(alan?.familyName).toBe('Turing')
    const [res] = await db.db.select().from(results).where(eq(results.sourcedId, 'res1'))
    expect(res?.status).toBe('tobedeleted')
  })

  it('a bulk file retires imported rows it no longer lists', async () => {
    const db = empty
    const set = validSet()
    const dir = await writeSet(set)
    dirs.push(dir)
    await importOneRoster(db.db, { path: dir, via: 'cli' })
    const fewer = await writeSet({
      ...set,
      'enrollments.csv':
        set['enrollments.csv']?.split('\n').slice(0, 2).join('\n').concat('\n') ?? '',
    })
    dirs.push(fewer)
    const before = await countRows(db.db)
    const result = await importOneRoster(db.db, { path: fewer, via: 'cli' })
    expect(result.problems).toEqual([])
    expect(result.counts.rowsUpdated).toBe(1)
    expect(await countRows(db.db)).toEqual(before)
  })
})
