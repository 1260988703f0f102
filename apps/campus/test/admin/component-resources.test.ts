import { eq } from 'drizzle-orm'
import { parseDuration } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOT_FOUND_CACHE } from '../../src/content/cache-policy.js'
import { contentKeys } from '../../src/content/keys.js'
import { fetchLessonLayoutData } from '../../src/content/loaders/index.js'
import type { CourseLocator } from '../../src/content/types.js'
import { componentResources, resources } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { existing, expectInvalidated, mutate, paramsOf, refused, warm } from './builder-support.js'

const { lesson, unit, course, lessonOnlyVideos: otherLesson } = SMALL_FIXTURES
const at = (courseId: string): CourseLocator => ({ courseId, orgId: DISTRICT_ID })
const home = { locator: at(course.id), subjectSlug: course.subjectSlug }
const away = { locator: at(otherLesson.courseId), subjectSlug: otherLesson.subjectSlug }
const RESOURCE = 'res-placed-article'

function ok<T>(loaded: { ok: true; data: T } | { ok: false; reason: string }): T {
  if (!loaded.ok) throw new Error(`page not found: ${loaded.reason}`)
  return loaded.data
}

describe('course builder: component resources', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    await mutate(
      campus,
      'POST',
      '/resources',
      {
        sourcedId: RESOURCE,
        title: 'Placed article',
        metadata: { type: 'article', slug: 'placed-article', xp: 4, paragraphs: ['Text.'] },
      },
      201,
    )
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  const contentsOf = async (path: string) =>
    ok(await fetchLessonLayoutData(campus.deps.source, undefined, paramsOf(path))).lesson.contents

  it('places a resource: appended to the lesson, its resource-courses entry dropped', async () => {
    await contentsOf(lesson.path)
    await warm(campus, [home])
    const resourceCourses = contentKeys(campus.satchel).resourceCourses(RESOURCE)
    expect(await campus.deps.source.resourceCourses(RESOURCE)).toEqual([])
    // An unplaced resource's empty answer is cached, briefly (made-up ids must not fill Redis):
    // Redis drops it within the not-found TTL (±10 % jitter), with no grace on top.
    expect(await existing(campus, [resourceCourses])).toBe(1)
    const pttl = await campus.satchel.redis.client?.pttl(resourceCourses)
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(parseDuration(NOT_FOUND_CACHE.ttl, 'ttl') * 1.1)

    const res = await mutate<{ sourcedId: string; title: string }>(
      campus,
      'POST',
      '/component-resources',
      { sourcedId: 'cr-placed', courseComponentSourcedId: lesson.id, resourceSourcedId: RESOURCE },
      201,
    )
    expect(res.data.title).toBe('Placed article')
    expect(res.invalidated.courses).toEqual([at(course.id)])
    await expectInvalidated(campus, [home])
    expect(await existing(campus, [resourceCourses])).toBe(0)
    expect((await contentsOf(lesson.path)).at(-1)).toMatchObject({
      resourceId: RESOURCE,
      componentResourceId: 'cr-placed',
      slug: 'placed-article',
    })
    expect(await campus.deps.source.resourceCourses(RESOURCE)).toEqual([at(course.id)])
  })

  it('refuses placements the pages could not show, naming the field', async () => {
    const onUnit = await refused(
      campus,
      'POST',
      '/component-resources',
      { courseComponentSourcedId: unit.id, resourceSourcedId: RESOURCE },
      400,
    )
    expect(onUnit.field).toBe('courseComponentSourcedId')
    const twice = await refused(
      campus,
      'POST',
      '/component-resources',
      { courseComponentSourcedId: lesson.id, resourceSourcedId: RESOURCE },
      409,
    )
    expect(twice.field).toBe('resourceSourcedId')
    const noResource = await refused(
      campus,
      'POST',
      '/component-resources',
      { courseComponentSourcedId: lesson.id, resourceSourcedId: 'res-none' },
      404,
    )
    expect(noResource.field).toBe('resourceSourcedId')
    const noComponent = await refused(
      campus,
      'POST',
      '/component-resources',
      { courseComponentSourcedId: 'cmp-none', resourceSourcedId: RESOURCE },
      404,
    )
    expect(noComponent.field).toBe('courseComponentSourcedId')
    const badOrder = await refused(
      campus,
      'PATCH',
      '/component-resources/cr-placed',
      { sortOrder: -1 },
      400,
    )
    expect(badOrder.field).toBe('sortOrder')
    await refused(campus, 'DELETE', '/component-resources/cr-none', undefined, 404)
  })

  it('reorders a lesson’s placements: the lesson page follows', async () => {
    const before = await contentsOf(lesson.path)
    const reversed = before.map((c) => c.componentResourceId).reverse()
    await warm(campus, [home])
    await mutate(campus, 'POST', `/components/${lesson.id}/resources/reorder`, { order: reversed })
    await expectInvalidated(campus, [home])
    expect((await contentsOf(lesson.path)).map((c) => c.componentResourceId)).toEqual(reversed)
    const dup = await refused(
      campus,
      'POST',
      `/components/${lesson.id}/resources/reorder`,
      { order: [...reversed, reversed[0]] },
      400,
    )
    expect(dup.field).toBe(`order.${reversed.length}`)
  })

  it('moves a placement to another course: courses before and after invalidated', async () => {
    await contentsOf(otherLesson.path)
    await warm(campus, [home, away])
    const res = await mutate(campus, 'PATCH', '/component-resources/cr-placed', {
      courseComponentSourcedId: otherLesson.id,
    })
    expect(res.invalidated.courses).toEqual(
      [at(course.id), at(otherLesson.courseId)].sort((a, b) =>
        a.courseId.localeCompare(b.courseId),
      ),
    )
    await expectInvalidated(campus, [home, away])
    expect((await contentsOf(lesson.path)).map((c) => c.resourceId)).not.toContain(RESOURCE)
    expect((await contentsOf(otherLesson.path)).at(-1)?.resourceId).toBe(RESOURCE)
    expect(await campus.deps.source.resourceCourses(RESOURCE)).toEqual([at(otherLesson.courseId)])
  })

  it('deletes a placement; the resource stays', async () => {
    await warm(campus, [away])
    const res = await mutate(campus, 'DELETE', '/component-resources/cr-placed', undefined)
    expect(res.invalidated.courses).toEqual([at(otherLesson.courseId)])
    await expectInvalidated(campus, [away])
    expect((await contentsOf(otherLesson.path)).map((c) => c.resourceId)).not.toContain(RESOURCE)
    const db = campus.database.db
    expect(
      await db
        .select()
        .from(componentResources)
        .where(eq(componentResources.sourcedId, 'cr-placed')),
    ).toEqual([])
    expect(await db.select().from(resources).where(eq(resources.sourcedId, RESOURCE))).toHaveLength(
      1,
    )
    expect(await campus.deps.source.resourceCourses(RESOURCE)).toEqual([])
  })
})
