/**
 * The course builder under concurrent mutations, with ids no row can have, and with a course
 * whose data satchel cannot key (an empty subject slug, as an import might write).
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import { courseComponents, courses } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { adminRequest, BUILDER, existing, mutate } from './builder-support.js'

const { course, unit } = SMALL_FIXTURES

describe('course builder: races and bad input', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  // The two race tests mean something on PostgreSQL (DATABASE_URL, as in CI), where requests
  // run on separate pooled connections: without the builder's transaction lock, merges read the
  // metadata before the others commit (notes are lost) and every create passes the sibling-slug
  // check. PGlite runs one transaction at a time, so there they pass either way.
  it('concurrent metadata patches of one component all survive', async () => {
    const notes = Array.from({ length: 8 }, (_, i) => `note${i}`)
    const answers = await Promise.all(
      notes.map((note, i) =>
        adminRequest(campus, 'PATCH', `${BUILDER}/components/${unit.id}`, {
          metadata: { [note]: i },
        }),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(notes.map(() => 200))
    const [row] = await campus.database.db
      .select({ metadata: courseComponents.metadata })
      .from(courseComponents)
      .where(eq(courseComponents.sourcedId, unit.id))
    expect(row?.metadata).toMatchObject(Object.fromEntries(notes.map((n, i) => [n, i])))
  })

  it('concurrent creates of one lesson slug under one unit: exactly one wins', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        adminRequest(campus, 'POST', `${BUILDER}/components`, {
          courseSourcedId: course.id,
          parentSourcedId: unit.id,
          title: `Racing lesson ${i}`,
          metadata: { slug: 'racing-lesson' },
        }),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409])
  })

  for (const [what, path] of [
    ['NUL in a component id', `${BUILDER}/components/bad%00id`],
    ['control character in a course id', `${BUILDER}/courses/bad%01id`],
    ['an id over 200 characters', `${BUILDER}/resources/${'x'.repeat(201)}`],
  ] as const) {
    it(`${what} → 404 problem, no error log`, async () => {
      const before = campus.logs.length
      const res = await adminRequest(
        campus,
        path.includes('/courses/') ? 'GET' : 'PATCH',
        path,
        path.includes('/courses/') ? undefined : { title: 'x' },
      )
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(campus.logs.slice(before).filter((l) => l.level >= 50)).toEqual([])
    })
  }

  it('a course with an unkeyable subject slug still has its bundle and legacy lists dropped', async () => {
    const db = campus.database.db
    const [row] = await db
      .select({ metadata: courses.metadata })
      .from(courses)
      .where(eq(courses.sourcedId, course.id))
    if (!row) throw new Error('fixture course missing')
    await db
      .update(courses)
      .set({ metadata: { ...row.metadata, subjectSlug: '' } })
      .where(eq(courses.sourcedId, course.id))
    try {
      const locator = { courseId: course.id, orgId: DISTRICT_ID }
      await campus.deps.source.loadCourse(locator)
      await campus.deps.adminSource.loadCourse(locator)
      const keys = contentKeys(campus.satchel)
      const bundleAndLists = [
        keys.courseBundle(locator.orgId, locator.courseId),
        keys.allResources(locator.orgId),
        keys.allComponentResources(locator.orgId),
      ]
      expect(await existing(campus, bundleAndLists)).toBe(3)
      const res = await mutate(campus, 'PATCH', `/components/${unit.id}`, { title: 'Renamed' })
      expect(res.invalidated).toEqual({ courses: [locator], pending: false })
      expect(await existing(campus, bundleAndLists)).toBe(0)
      expect(
        campus.logs.some((l) => l.msg === 'course builder skipped an unkeyable cache entry'),
      ).toBe(true)
    } finally {
      await db
        .update(courses)
        .set({ metadata: row.metadata })
        .where(eq(courses.sourcedId, course.id))
    }
  })
})
