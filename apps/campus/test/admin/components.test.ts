import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fetchCoursePageData,
  fetchLessonLayoutData,
  fetchUnitPageData,
} from '../../src/content/loaders/index.js'
import type { CourseLocator } from '../../src/content/types.js'
import { componentResources, courseComponents } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import { expectInvalidated, mutate, paramsOf, refused, warm } from './builder-support.js'

const { course, unit, lesson } = SMALL_FIXTURES
const locator: CourseLocator = { courseId: course.id, orgId: DISTRICT_ID }
const target = [{ locator, subjectSlug: course.subjectSlug }]

function ok<T>(loaded: { ok: true; data: T } | { ok: false; reason: string }): T {
  if (!loaded.ok) throw new Error(`page not found: ${loaded.reason}`)
  return loaded.data
}

describe('course builder: components', () => {
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

  const unitPage = () => fetchUnitPageData(campus.deps.source, undefined, paramsOf(unit.path))

  it('creates a lesson: row written, course caches dropped, unit page shows it', async () => {
    ok(await unitPage())
    await warm(campus, target)
    const res = await mutate<{ sourcedId: string; sortOrder: number }>(
      campus,
      'POST',
      '/components',
      {
        sourcedId: 'cmp-new-lesson',
        courseSourcedId: course.id,
        parentSourcedId: unit.id,
        title: 'A brand new lesson',
        metadata: { slug: 'brand-new-lesson' },
      },
      201,
    )
    expect(res.invalidated.courses).toEqual([locator])
    await expectInvalidated(campus, target)
    const [row] = await campus.database.db
      .select()
      .from(courseComponents)
      .where(eq(courseComponents.sourcedId, 'cmp-new-lesson'))
    expect(row).toMatchObject({ parentSourcedId: unit.id, title: 'A brand new lesson' })
    const lessons = ok(await unitPage()).unit.lessons
    // Appended after the unit's existing lessons.
    expect(lessons.at(-1)).toMatchObject({ lessonId: 'cmp-new-lesson', slug: 'brand-new-lesson' })
    expect(
      campus.logs.find(
        (l) => l.msg === 'course builder invalidated caches' && l.reason === 'component.create',
      ),
    ).toMatchObject({ courseIds: [course.id] })
  })

  it('refuses bad input with the field named', async () => {
    const base = {
      courseSourcedId: course.id,
      parentSourcedId: unit.id,
      title: 'Lesson',
      metadata: { slug: 'fine-slug' },
    }
    expect((await refused(campus, 'POST', '/components', { ...base, title: '' }, 400)).field).toBe(
      'title',
    )
    const { title: _omitted, ...untitled } = base
    expect((await refused(campus, 'POST', '/components', untitled, 400)).field).toBe('title')
    const badSlug = { ...base, metadata: { slug: 'Not A Slug' } }
    expect((await refused(campus, 'POST', '/components', badSlug, 400)).field).toBe('metadata.slug')
    const extra = { ...base, colour: 'red' }
    expect((await refused(campus, 'POST', '/components', extra, 400)).field).toBe('colour')
    const res = await campus.app.request('/api/admin/course-builder/components', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: '{not json',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ field: 'body' })
  })

  it('refuses changes that would hide a component from the pages', async () => {
    // A unit cannot be turned into a (second) course-challenge holder.
    const role = await refused(
      campus,
      'PATCH',
      `/components/${unit.id}`,
      { metadata: { role: 'course-challenge' } },
      400,
    )
    expect(role.field).toBe('metadata.role')
    // A lesson holding articles and videos cannot become a unit, where pages never look for them.
    const promoted = await refused(
      campus,
      'PATCH',
      `/components/${lesson.id}`,
      { parentSourcedId: null },
      400,
    )
    expect(promoted.field).toBe('parentSourcedId')
    const [row] = await campus.database.db
      .select()
      .from(courseComponents)
      .where(eq(courseComponents.sourcedId, lesson.id))
    expect(row).toMatchObject({ parentSourcedId: unit.id })
    expect(row?.metadata.role).toBeUndefined()
  })

  it('answers 404 for unknown ids and 409 for conflicts', async () => {
    const base = {
      courseSourcedId: course.id,
      parentSourcedId: unit.id,
      title: 'Lesson',
      metadata: { slug: 'another-slug' },
    }
    const noCourse = await refused(
      campus,
      'POST',
      '/components',
      { ...base, courseSourcedId: 'course-none' },
      404,
    )
    expect(noCourse.field).toBe('courseSourcedId')
    await refused(campus, 'PATCH', '/components/cmp-none', { title: 'x' }, 404)
    await refused(campus, 'DELETE', '/components/cmp-none', undefined, 404)
    const clash = { ...base, metadata: { slug: lesson.slug } }
    expect((await refused(campus, 'POST', '/components', clash, 409)).field).toBe('metadata.slug')
    const dup = { ...base, sourcedId: lesson.id }
    expect((await refused(campus, 'POST', '/components', dup, 409)).field).toBe('sourcedId')
    // A lesson under a lesson would be invisible: lessons do not nest.
    const nested = { ...base, parentSourcedId: lesson.id }
    expect((await refused(campus, 'POST', '/components', nested, 400)).field).toBe(
      'parentSourcedId',
    )
    const rename = await refused(
      campus,
      'PATCH',
      `/components/${lesson.id}`,
      {
        metadata: { slug: 'brand-new-lesson' },
      },
      409,
    )
    expect(rename.field).toBe('metadata.slug')
  })

  it('updates a lesson: the lesson page shows the new title', async () => {
    const params = paramsOf(lesson.path)
    ok(await fetchLessonLayoutData(campus.deps.source, undefined, params))
    await warm(campus, target)
    const res = await mutate(campus, 'PATCH', `/components/${lesson.id}`, {
      title: 'Renamed lesson',
    })
    expect(res.invalidated.courses).toEqual([locator])
    await expectInvalidated(campus, target)
    const layout = ok(await fetchLessonLayoutData(campus.deps.source, undefined, params))
    expect(layout.lesson.title).toBe('Renamed lesson')
  })

  it('reorders the units of a course: sortOrder 0..n-1 and the course page follows', async () => {
    const params = paramsOf(course.path)
    const before = ok(await fetchCoursePageData(campus.deps.source, undefined, params))
    const reversed = before.units.map((u) => u.unitId).reverse()
    expect(reversed.length).toBeGreaterThan(1)
    await warm(campus, target)
    await mutate(campus, 'POST', `/courses/${course.id}/components/reorder`, {
      parentSourcedId: null,
      order: reversed,
    })
    await expectInvalidated(campus, target)
    const rows = await campus.database.db
      .select({ id: courseComponents.sourcedId, sortOrder: courseComponents.sortOrder })
      .from(courseComponents)
      .where(eq(courseComponents.courseSourcedId, course.id))
    for (const [index, id] of reversed.entries()) {
      expect(rows.find((r) => r.id === id)?.sortOrder).toBe(index)
    }
    const after = ok(await fetchCoursePageData(campus.deps.source, undefined, params))
    expect(after.units.map((u) => u.unitId)).toEqual(reversed)

    const partial = await refused(
      campus,
      'POST',
      `/courses/${course.id}/components/reorder`,
      { parentSourcedId: null, order: reversed.slice(1) },
      400,
    )
    expect(partial.field).toBe('order')
    const stranger = await refused(
      campus,
      'POST',
      `/courses/${course.id}/components/reorder`,
      { parentSourcedId: null, order: [...reversed.slice(1), lesson.id] },
      400,
    )
    expect(stranger.field).toBe(`order.${reversed.length - 1}`)
  })

  it('deletes a unit with its lessons and their placements', async () => {
    const params = paramsOf(course.path)
    const before = ok(await fetchCoursePageData(campus.deps.source, undefined, params))
    const victim = before.units.find((u) => u.unitId !== unit.id && u.lessons.length > 0)
    if (!victim) throw new Error('fixture course needs a second unit with lessons')
    const lessonIds = victim.lessons.map((l) => l.lessonId)
    await warm(campus, target)
    const res = await mutate<{ deleted: string[] }>(
      campus,
      'DELETE',
      `/components/${victim.unitId}`,
      undefined,
    )
    expect(res.data.deleted.sort()).toEqual([victim.unitId, ...lessonIds].sort())
    await expectInvalidated(campus, target)
    const left = await campus.database.db
      .select()
      .from(componentResources)
      .where(eq(componentResources.courseComponentSourcedId, lessonIds[0] as string))
    expect(left).toEqual([])
    const after = ok(await fetchCoursePageData(campus.deps.source, undefined, params))
    expect(after.units.map((u) => u.unitId)).not.toContain(victim.unitId)
    expect(after.units).toHaveLength(before.units.length - 1)
  })
})
