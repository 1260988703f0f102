/**
 * The organisations an analytics view covers: the organisation and everything below it, never a
 * sibling or a parent, and a cycle in bad data ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { orgSubtree } from '../../src/analytics/scope.js'
import { orgs } from '../../src/db/schema.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'

let database: CampusTestDatabase
beforeAll(async () => {
  database = await openCampusTestDatabase()
  await database.db.insert(orgs).values([
    { sourcedId: 'd', name: 'District', type: 'district' },
    { sourcedId: 's1', name: 'School 1', type: 'school', parentSourcedId: 'd' },
    { sourcedId: 's2', name: 'School 2', type: 'school', parentSourcedId: 'd' },
    { sourcedId: 'dep', name: 'Maths', type: 'department', parentSourcedId: 's1' },
    { sourcedId: 'other', name: 'Other district', type: 'district' },
    { sourcedId: 'loop-a', name: 'A', type: 'school', parentSourcedId: 'loop-b' },
    { sourcedId: 'loop-b', name: 'B', type: 'school', parentSourcedId: 'loop-a' },
  ])
})
afterAll(async () => {
  await database?.close()
})

describe('orgSubtree', { timeout: 60_000 }, () => {
  it('gives the organisation first, then its descendants by depth', async () => {
    expect(await orgSubtree(database.db, 'd')).toEqual(['d', 's1', 's2', 'dep'])
    expect(await orgSubtree(database.db, 's1')).toEqual(['s1', 'dep'])
    expect(await orgSubtree(database.db, 's2')).toEqual(['s2'])
  })

  it('is empty for an unknown organisation and ends on a cycle', async () => {
    expect(await orgSubtree(database.db, 'nope')).toEqual([])
    expect(await orgSubtree(database.db, 'loop-a')).toEqual(['loop-a', 'loop-b'])
  })
})
