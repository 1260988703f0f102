/**
 * The search queries use their GIN indexes (no sequential scan of the table) once the tables
 * are large enough for the planner to care: 5,000 learners, 1,000 classes and courses.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchTerms } from '../../../src/analytics/search/input.js'
import {
  classesQuery,
  coursesQuery,
  studentsQuery,
} from '../../../src/analytics/search/repository.js'
import { classes, courses, orgs, userRoles, users } from '../../../src/db/schema.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../../support/db.js'

let database: CampusTestDatabase
const GIVEN = ['Ana', 'Bruno', 'Chloé', 'Dmitri', 'Eun', 'Farah', 'Gustav', 'Hana', 'Ilse', 'Jun']
const FAMILY = ['Silva', 'Okafor', 'Müller', 'Nguyen', 'Kowalski', 'Haddad', 'Larsen', 'Sato']

async function plan(query: { getSQL(): ReturnType<typeof sql> }): Promise<string> {
  const result = await database.db.execute(sql`explain ${query}`)
  return (result as unknown as { rows: Record<string, string>[] }).rows
    .map((r) => Object.values(r)[0])
    .join('\n')
}

beforeAll(async () => {
  database = await openCampusTestDatabase()
  const db = database.db
  await db.insert(orgs).values({ sourcedId: 'org-big', name: 'Big school', type: 'school' })
  for (let chunk = 0; chunk < 5; chunk++) {
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const n = chunk * 1000 + i
      return {
        sourcedId: `u-${n}`,
        username: `u${n}`,
        givenName: `${GIVEN[n % GIVEN.length]}${n}`,
        familyName: FAMILY[n % FAMILY.length] ?? 'X',
      }
    })
    await db.insert(users).values(rows)
    await db.insert(userRoles).values(
      rows.map((r) => ({
        sourcedId: `r-${r.sourcedId}`,
        userSourcedId: r.sourcedId,
        roleType: 'primary',
        role: 'student',
        orgSourcedId: 'org-big',
      })),
    )
  }
  await db
    .insert(users)
    .values({ sourcedId: 'u-jose', username: 'jose', givenName: 'José', familyName: 'Quintero' })
  await db.insert(userRoles).values({
    sourcedId: 'r-u-jose',
    userSourcedId: 'u-jose',
    roleType: 'primary',
    role: 'student',
    orgSourcedId: 'org-big',
  })
  await db.insert(courses).values(
    Array.from({ length: 1000 }, (_, i) => ({
      sourcedId: `c-${i}`,
      title: `Course ${i} ${FAMILY[i % FAMILY.length]}`,
      orgSourcedId: 'org-big',
    })),
  )
  await db.insert(classes).values(
    Array.from({ length: 1000 }, (_, i) => ({
      sourcedId: `k-${i}`,
      title: `Class ${i} ${GIVEN[i % GIVEN.length]}`,
      courseSourcedId: `c-${i}`,
      schoolSourcedId: 'org-big',
    })),
  )
  await db.execute(sql`analyze`)
}, 180_000)
afterAll(async () => {
  await database?.close()
})

describe('search index use', { timeout: 60_000 }, () => {
  it('finds students through users_search_idx', async () => {
    const terms = searchTerms('  José ')
    const query = studentsQuery(database.db, terms, { orgIds: ['org-big'] }, 10)
    const text = await plan(query)
    expect(text).toContain('users_search_idx')
    expect(text).not.toMatch(/Seq Scan on users/)
    const rows = await query
    expect(rows.map((r) => r.id)).toEqual(['u-jose'])
  })

  it('finds classes and courses through their indexes', async () => {
    const scope = { orgIds: ['org-big'] }
    const classQuery = classesQuery(database.db, searchTerms('Class 42'), scope, 5)
    const classPlan = await plan(classQuery)
    expect(classPlan).toContain('classes_search_idx')
    expect(classPlan).not.toMatch(/Seq Scan on classes/)
    expect((await classQuery).map((r) => r.id)).toEqual([
      'k-42',
      'k-420',
      'k-421',
      'k-422',
      'k-423',
    ])
    const courseQuery = coursesQuery(database.db, searchTerms('müller 10'), scope, 5)
    const coursePlan = await plan(courseQuery)
    expect(coursePlan).toContain('courses_search_idx')
    expect(coursePlan).not.toMatch(/Seq Scan on courses/)
    expect((await courseQuery).map((r) => r.id)).toContain('c-10')
  })

  it('the planner scans the table for an expression the index does not hold', async () => {
    // The same match on an unfolded document: no index has it, so this is a full scan. This
    // keeps the assertions above honest (a plan text without the index name is possible).
    const text = await plan(
      sql`select 1 from ${users} where to_tsvector('simple'::regconfig, ${users.givenName}) @@ to_tsquery('simple', 'jose:*')`,
    )
    expect(text).not.toContain('users_search_idx')
    expect(text).toMatch(/Seq Scan on users/)
  })
})
