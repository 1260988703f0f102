/**
 * One row whose metadata the cache codec cannot encode (1,000 levels deep, as an import or a
 * direct write could leave it) degrades only itself: its own page is a 404 with the structured
 * warning, every page around it answers 200, and the course's bundle is still cached.
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import { courseComponents, resources } from '../../src/db/schema.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'

/** `{ a: { a: … { a: 1 } } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

describe('a row the cache cannot encode', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const { db } = campus.database
    // Before anything is cached: the first build already meets the bad rows.
    const [lesson] = await db
      .select({ metadata: courseComponents.metadata })
      .from(courseComponents)
      .where(eq(courseComponents.sourcedId, F.lesson.id))
    await db
      .update(courseComponents)
      .set({ metadata: { ...lesson!.metadata, extra: nested(1_000) } })
      .where(eq(courseComponents.sourcedId, F.lesson.id))
    const [quiz] = await db
      .select({ metadata: resources.metadata })
      .from(resources)
      .where(eq(resources.sourcedId, F.quiz.id))
    await db
      .update(resources)
      .set({ metadata: { ...quiz!.metadata, extra: nested(1_000) } })
      .where(eq(resources.sourcedId, F.quiz.id))
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it('every page around the bad rows answers 200, the pages and their JSON twins', async () => {
    const paths = ['/', `/${F.course.subjectSlug}`, F.course.path, F.unit.path, F.unitTest.path]
    for (const path of paths) {
      expect((await campus.app.request(path)).status, path).toBe(200)
      const twin = path === '/' ? '/api/content' : `/api/content${path}`
      expect((await campus.app.request(twin)).status, twin).toBe(200)
    }
    expect(campus.logs.filter((l) => l.level >= 50)).toEqual([])
  })

  it('the bad rows answer 404 themselves, each with a bundle_invalid_metadata warning', async () => {
    expect((await campus.app.request(F.lesson.path)).status).toBe(404)
    expect((await campus.app.request(F.quiz.path)).status).toBe(404)
    const warnings = campus.warnings().filter((l) => l.outcome === 'bundle_invalid_metadata')
    expect(warnings).toContainEqual(
      expect.objectContaining({ courseId: F.course.courseId, componentId: F.lesson.id }),
    )
    expect(warnings).toContainEqual(
      expect.objectContaining({ courseId: F.course.courseId, resourceSourcedId: F.quiz.id }),
    )
  })

  it('the course bundle is cached: later views do not query the database', async () => {
    const key = contentKeys(campus.satchel).courseBundle(DISTRICT_ID, F.course.courseId)
    expect(await campus.satchel.redis.client!.exists(key)).toBe(1)
    await campus.app.request(F.unit.path)
    const queries = campus.database.queryCount
    expect((await campus.app.request(F.unit.path)).status).toBe(200)
    expect((await campus.app.request(`/api/content${F.course.path}`)).status).toBe(200)
    expect(campus.database.queryCount).toBe(queries)
  })
})
