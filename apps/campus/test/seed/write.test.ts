import { count, eq } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { schema } from '../../src/db/schema.js'
import { countRows, type Dataset, TABLE_ORDER } from '../../src/seed/dataset.js'
import { generateDataset } from '../../src/seed/generate.js'
import {
  isDatabaseEmpty,
  resetDatabase,
  type WriteProgress,
  writeDataset,
} from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'

let database: CampusTestDatabase
const small = generateDataset({ scale: 'small' })

async function countsInDatabase(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const name of TABLE_ORDER) {
    const table: PgTable = schema[name]
    const [row] = await database.db.select({ n: count() }).from(table)
    counts[name] = Number(row?.n)
  }
  return counts
}

beforeAll(async () => {
  database = await openCampusTestDatabase()
})
afterAll(async () => {
  await database?.close()
})
beforeEach(async () => {
  await resetDatabase(database.db)
})

describe('writeDataset', () => {
  it('writes every row of the small set, reporting progress per table', async () => {
    expect(await isDatabaseEmpty(database.db)).toBe(true)
    const progress: WriteProgress[] = []
    await writeDataset(database.db, small, (p) => progress.push(p))
    expect(await countsInDatabase()).toEqual(countRows(small))
    expect(await isDatabaseEmpty(database.db)).toBe(false)
    for (const name of TABLE_ORDER) {
      const last = progress.filter((p) => p.table === name).at(-1)
      expect(last).toEqual({ table: name, done: small[name].length, total: small[name].length })
    }
  })

  it('round-trips JSON metadata, arrays, dates and booleans', async () => {
    await writeDataset(database.db, small)
    const resource = small.resources.find((r) => r.metadata?.type === 'article')!
    const [row] = await database.db
      .select()
      .from(schema.resources)
      .where(eq(schema.resources.sourcedId, resource.sourcedId))
    expect(row?.metadata).toEqual(resource.metadata)
    expect(row?.roles).toEqual(resource.roles)
    expect(row?.dateLastModified.toISOString()).toBe('2026-08-01T00:00:00.000Z')
    const items = await database.db.select().from(schema.assessmentItems)
    expect(items.filter((i) => i.required)).toHaveLength(
      small.assessmentItems.filter((i) => i.required).length,
    )
    const [user] = await database.db.select().from(schema.users).limit(1)
    expect(user?.userIds).toEqual(small.users.find((u) => u.sourcedId === user?.sourcedId)?.userIds)
  })

  it('fills column defaults for rows that leave columns out', async () => {
    const partial: Dataset = {
      ...emptyLike(),
      orgs: [{ sourcedId: 'org-x', name: 'X', type: 'district' }],
    }
    await writeDataset(database.db, partial)
    const [org] = await database.db.select().from(schema.orgs)
    expect(org?.status).toBe('active')
  })

  it('writes nothing when a row fails', async () => {
    const broken: Dataset = {
      ...small,
      componentResources: [
        ...small.componentResources,
        {
          ...small.componentResources[0]!,
          sourcedId: 'cr-broken',
          resourceSourcedId: 'res-missing',
        },
      ],
    }
    await expect(writeDataset(database.db, broken)).rejects.toThrow()
    expect(await countsInDatabase()).toEqual(Object.fromEntries(TABLE_ORDER.map((n) => [n, 0])))
  })

  it('replaces existing rows with reset, in the same transaction', async () => {
    await writeDataset(database.db, small)
    await writeDataset(database.db, small, undefined, { reset: true })
    expect(await countsInDatabase()).toEqual(countRows(small))
    await resetDatabase(database.db)
    expect(await isDatabaseEmpty(database.db)).toBe(true)
  })
})

function emptyLike(): Dataset {
  return Object.fromEntries(TABLE_ORDER.map((n) => [n, []])) as unknown as Dataset
}
