import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import {
  fetchLessonLayoutData,
  fetchVideoPageData,
  resolveResourceRedirect,
} from '../../src/content/loaders/index.js'
import type { CourseLocator } from '../../src/content/types.js'
import { assessmentItems, componentResources, resources } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import {
  adminRequest,
  existing,
  expectInvalidated,
  mutate,
  paramsOf,
  refused,
  warm,
} from './builder-support.js'

const { sharedResource: shared, article, exercise, lesson, course } = SMALL_FIXTURES
const at = (courseId: string): CourseLocator => ({ courseId, orgId: DISTRICT_ID })

function ok<T>(loaded: { ok: true; data: T } | { ok: false; reason: string }): T {
  if (!loaded.ok) throw new Error(`page not found: ${loaded.reason}`)
  return loaded.data
}

describe('course builder: resources', () => {
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

  it('updates a shared resource: both bundles dropped, both pages show it', async () => {
    const [first, second] = shared.courseIds
    const subjects = shared.paths.map((p) => paramsOf(p).subject)
    const targets = [
      { locator: at(first), subjectSlug: subjects[0] as string },
      { locator: at(second), subjectSlug: subjects[1] as string },
    ]
    for (const path of shared.paths) {
      ok(await fetchVideoPageData(campus.deps.source, undefined, paramsOf(path)))
    }
    await warm(campus, targets)
    const res = await mutate(campus, 'PATCH', `/resources/${shared.id}`, {
      title: 'Treaties, retold',
      metadata: { xp: 77 },
    })
    expect(res.invalidated.courses).toEqual([at(first), at(second)])
    await expectInvalidated(campus, targets)
    for (const path of shared.paths) {
      const page = ok(await fetchVideoPageData(campus.deps.source, undefined, paramsOf(path)))
      expect(page.resource).toMatchObject({ title: 'Treaties, retold', xp: 77 })
    }
    const [row] = await campus.database.db
      .select()
      .from(resources)
      .where(eq(resources.sourcedId, shared.id))
    // Merged: the stored metadata keeps what the patch did not name.
    expect(row?.metadata).toMatchObject({ type: 'video', slug: shared.slug, xp: 77 })
  })

  it('validates metadata with the pages’ own rules, naming the field', async () => {
    const badVideo = await refused(
      campus,
      'POST',
      '/resources',
      { title: 'Clip', metadata: { type: 'video', slug: 'clip', xp: 5, youtubeId: 'short' } },
      400,
    )
    expect(badVideo.field).toBe('metadata.youtubeId')
    const noType = await refused(campus, 'POST', '/resources', { title: 'x', metadata: {} }, 400)
    expect(noType.field).toBe('metadata.type')
    const negative = await refused(
      campus,
      'PATCH',
      `/resources/${article.id}`,
      { metadata: { xp: -1 } },
      400,
    )
    expect(negative.field).toBe('metadata.xp')
    await refused(campus, 'PATCH', '/resources/res-none', { title: 'x' }, 404)
    const dup = await refused(
      campus,
      'POST',
      '/resources',
      {
        sourcedId: article.id,
        title: 'Copy',
        metadata: { type: 'article', slug: 'copy', xp: 1, paragraphs: [] },
      },
      409,
    )
    expect(dup.field).toBe('sourcedId')
    // Renaming to the slug of a sibling in the same lesson would make two pages share one URL.
    const clash = await refused(
      campus,
      'PATCH',
      `/resources/${article.id}`,
      { metadata: { slug: exercise.slug } },
      409,
    )
    expect(clash.field).toBe('metadata.slug')
  })

  it('creates a resource without touching any course (it is not placed yet)', async () => {
    const res = await mutate<{ sourcedId: string; vendorResourceId: string }>(
      campus,
      'POST',
      '/resources',
      {
        sourcedId: 'res-created',
        title: 'Fresh article',
        metadata: { type: 'article', slug: 'fresh-article', xp: 3, paragraphs: ['Hello.'] },
      },
      201,
    )
    expect(res.data).toMatchObject({ sourcedId: 'res-created', vendorResourceId: 'res-created' })
    expect(res.invalidated.courses).toEqual([])
  })

  it('deletes a resource: placements and questions go, the lesson drops it', async () => {
    const params = paramsOf(lesson.path)
    const before = ok(await fetchLessonLayoutData(campus.deps.source, undefined, params))
    expect(before.lesson.contents.map((c) => c.resourceId)).toContain(exercise.id)
    const target = [{ locator: at(course.id), subjectSlug: course.subjectSlug }]
    await warm(campus, target)
    const keys = contentKeys(campus.satchel)
    await campus.deps.source.resourceCourses(exercise.id)
    await campus.deps.source.assessmentItems(DISTRICT_ID, exercise.id)
    const extra = [
      keys.resourceCourses(exercise.id),
      keys.assessmentItems(DISTRICT_ID, exercise.id),
    ]
    expect(await existing(campus, extra)).toBe(2)

    const res = await mutate(campus, 'DELETE', `/resources/${exercise.id}`, undefined)
    expect(res.invalidated.courses).toEqual([at(course.id)])
    await expectInvalidated(campus, target)
    expect(await existing(campus, extra)).toBe(0)
    const db = campus.database.db
    expect(
      await db
        .select()
        .from(componentResources)
        .where(eq(componentResources.resourceSourcedId, exercise.id)),
    ).toEqual([])
    expect(
      await db
        .select()
        .from(assessmentItems)
        .where(eq(assessmentItems.resourceSourcedId, exercise.id)),
    ).toEqual([])
    const after = ok(await fetchLessonLayoutData(campus.deps.source, undefined, params))
    expect(after.lesson.contents.map((c) => c.resourceId)).not.toContain(exercise.id)
    expect(await resolveResourceRedirect(campus.deps.source, exercise.id)).toBeNull()
  })

  it('reads the course tree through the admin (legacy) source', async () => {
    const res = await adminRequest(campus, 'GET', `/api/admin/course-builder/courses/${course.id}`)
    expect(res.status).toBe(200)
    const { data } = (await res.json()) as {
      data: {
        units: { lessons: { sourcedId: string; resources: { resourceSourcedId: string }[] }[] }[]
      }
    }
    const treeLesson = data.units.flatMap((u) => u.lessons).find((l) => l.sourcedId === lesson.id)
    expect(treeLesson?.resources.map((r) => r.resourceSourcedId)).toContain(article.id)
    const missing = await adminRequest(campus, 'GET', '/api/admin/course-builder/courses/nope')
    expect(missing.status).toBe(404)
  })
})
