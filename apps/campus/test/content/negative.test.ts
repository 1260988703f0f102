/**
 * Negative cases: every broken URL or broken row answers a 404-shaped result (`ok: false` with
 * the reason) and logs one structured warning with the seed's fields, in both loader families.
 * Rows are broken in the database after the pages were cached, then the course's bundle and the
 * legacy lists are invalidated, as the course builder does.
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invalidateCourseResourceBundle } from '../../src/content/bundle.js'
import { invalidateLegacyContent } from '../../src/content/legacy.js'
import {
  fetchArticlePageData,
  fetchCourseChallengePageData,
  fetchCoursePageData,
  fetchExercisePageData,
  fetchLessonLayoutData,
  fetchQuizPageData,
  fetchSubjectHubData,
  fetchUnitPageData,
  fetchVideoPageData,
  resolveResourceRedirect,
} from '../../src/content/loaders/index.js'
import type { Loaded } from '../../src/content/page-data.js'
import { type ContentSource, createLegacySource } from '../../src/content/source.js'
import { courses, type ResourceMetadata, resources } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import type { LogLine, TestCampus } from '../support/campus.js'
import {
  courseSlugs,
  lessonContentParams,
  smallDataset,
  soleCourseResource,
  startLoaderCampus,
} from './support.js'

let redis: RedisServer
let campus: TestCampus
let sources: Record<'bundle' | 'legacy', ContentSource>
const FAMILIES = ['bundle', 'legacy'] as const

beforeAll(async () => {
  redis = await startRedis()
  campus = await startLoaderCampus({ redisUrl: redis.url })
  sources = { bundle: campus.deps.source, legacy: createLegacySource(campus.deps.content) }
}, 60_000)

afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

const F = SMALL_FIXTURES
/** Courses other tests may not break: the fixtures' (other files rely on them being whole). */
const taken = new Set([
  F.course.courseId,
  F.courseWithoutAssessments.courseId,
  F.lessonOnlyExercises.courseId,
  F.lessonOnlyVideos.courseId,
  ...F.sharedResource.courseIds,
])

/** A resource of `type` in a course no other test here breaks. */
function claimResource(type: NonNullable<ResourceMetadata['type']>): {
  resourceId: string
  courseId: string
} {
  const found = soleCourseResource(type, [...taken])
  taken.add(found.courseId)
  return found
}

/** Runs `fn` and returns it with the warnings it logged. */
async function withWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: LogLine[] }> {
  const mark = campus.logs.length
  const result = await fn()
  return { result, warnings: campus.logs.slice(mark).filter((l) => l.level >= 40) }
}

function expectNotFound(result: Loaded<unknown>, reason: string): void {
  expect(result).toMatchObject({ ok: false, reason })
}

/** Changes a resource row, then invalidates what caches it (both families). */
async function updateResource(
  resourceId: string,
  courseId: string,
  change: { metadata?: ResourceMetadata; status?: string },
): Promise<void> {
  await campus.database.db.update(resources).set(change).where(eq(resources.sourcedId, resourceId))
  await invalidateCaches(courseId)
}

async function invalidateCaches(courseId: string): Promise<void> {
  const orgId = smallDataset().courses.find((c) => c.sourcedId === courseId)?.orgSourcedId ?? ''
  await invalidateCourseResourceBundle(campus.deps.content, { courseId, orgId })
  await invalidateLegacyContent(campus.deps.content, orgId)
}

function metadataOf(resourceId: string): ResourceMetadata {
  const row = smallDataset().resources.find((r) => r.sourcedId === resourceId)
  return structuredClone(row?.metadata ?? {})
}

/** Loads the lesson page of a resource in both families (warms every cache involved). */
async function warm(resourceId: string): Promise<void> {
  const { slug: _slug, ...lesson } = lessonContentParams(resourceId)
  for (const family of FAMILIES) {
    expect((await fetchLessonLayoutData(sources[family], {}, lesson)).ok).toBe(true)
  }
}

describe.each(FAMILIES)('%s family: missing rows', (family) => {
  const course = { subject: F.course.subjectSlug, course: F.course.slug }

  it('unknown subject → subject_not_found', async () => {
    const { result, warnings } = await withWarnings(() =>
      fetchSubjectHubData(sources[family], 'no-such-subject'),
    )
    expectNotFound(result, 'subject_not_found')
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'subject hub has no courses',
        subjectSlug: 'no-such-subject',
        outcome: 'bundle_missing_data',
        reason: 'subject_not_found',
      }),
    ])
  })

  it('missing unit → unit_not_found', async () => {
    const { result, warnings } = await withWarnings(() =>
      fetchUnitPageData(sources[family], {}, { ...course, unit: 'no-such-unit' }),
    )
    expectNotFound(result, 'unit_not_found')
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'bundle unit lookup failed',
        family,
        courseId: F.course.id,
        subjectSlug: F.course.subjectSlug,
        courseSlug: F.course.slug,
        unitSlug: 'no-such-unit',
        bundleFetchedAt: expect.any(Number),
        outcome: 'bundle_missing_data',
        reason: 'unit_not_found',
      }),
    ])
  })

  it('missing lesson → lesson_not_found', async () => {
    const params = { ...course, unit: F.unit.slug, lesson: 'no-such-lesson' }
    const calls: (() => Promise<Loaded<unknown>>)[] = [
      () => fetchLessonLayoutData(sources[family], {}, params),
      () => fetchVideoPageData(sources[family], {}, { ...params, slug: F.video.slug }),
    ]
    for (const call of calls) {
      const { result, warnings } = await withWarnings(call)
      expectNotFound(result, 'lesson_not_found')
      expect(warnings).toEqual([
        expect.objectContaining({
          msg: 'bundle lesson lookup failed',
          family,
          courseId: F.course.id,
          unitId: F.unit.id,
          subjectSlug: F.course.subjectSlug,
          courseSlug: F.course.slug,
          lessonSlug: 'no-such-lesson',
          bundleFetchedAt: expect.any(Number),
          outcome: 'bundle_missing_data',
          reason: 'lesson_not_found',
        }),
      ])
    }
  })

  it('missing resource → resource_not_found (content, quiz, challenge)', async () => {
    const lesson = { ...course, unit: F.unit.slug, lesson: F.lesson.slug }
    const calls: (() => Promise<Loaded<unknown>>)[] = [
      () => fetchArticlePageData(sources[family], {}, { ...lesson, slug: 'no-such-article' }),
      // A real slug under the wrong type is not that page either.
      () => fetchExercisePageData(sources[family], {}, { ...lesson, slug: F.video.slug }),
      () => fetchQuizPageData(sources[family], {}, { ...course, unit: F.unit.slug, slug: 'nope' }),
      () => fetchCourseChallengePageData(sources[family], {}, { ...course, slug: 'nope' }),
    ]
    for (const call of calls) {
      const { result, warnings } = await withWarnings(call)
      expectNotFound(result, 'resource_not_found')
      expect(warnings).toEqual([
        expect.objectContaining({
          msg: 'bundle resource lookup failed',
          family,
          courseId: F.course.id,
          subjectSlug: F.course.subjectSlug,
          courseSlug: F.course.slug,
          bundleFetchedAt: expect.any(Number),
          outcome: 'bundle_missing_data',
          reason: 'resource_not_found',
        }),
      ])
    }
  })

  it('course under another subject → course_not_found', async () => {
    const other = courseSlugs().find((c) => c.subject !== F.course.subjectSlug)?.subject ?? ''
    const { result, warnings } = await withWarnings(() =>
      fetchCoursePageData(sources[family], {}, { subject: other, course: F.course.slug }),
    )
    expectNotFound(result, 'course_not_found')
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'bundle course lookup failed',
        family,
        subjectSlug: other,
        courseSlug: F.course.slug,
        outcome: 'bundle_missing_data',
        reason: 'course_not_found',
      }),
    ])
  })

  it('unknown resource id → redirect null with a warning', async () => {
    const { result, warnings } = await withWarnings(() =>
      resolveResourceRedirect(sources[family], 'res-does-not-exist'),
    )
    expect(result).toBeNull()
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'resource redirect failed',
        resourceSourcedId: 'res-does-not-exist',
        outcome: 'bundle_missing_data',
        reason: 'resource_not_found',
      }),
    ])
  })
})

describe('broken rows', () => {
  it('invalid metadata → content page 404, lesson page skips the card with a warning', async () => {
    const { resourceId, courseId } = claimResource('article')
    await warm(resourceId)
    await updateResource(resourceId, courseId, { metadata: { ...metadataOf(resourceId), xp: -3 } })
    const params = lessonContentParams(resourceId)
    for (const family of FAMILIES) {
      const page = await withWarnings(() => fetchArticlePageData(sources[family], {}, params))
      expectNotFound(page.result, 'invalid_metadata')
      expect(page.warnings).toContainEqual(
        expect.objectContaining({
          msg: 'bundle resource lookup failed',
          family,
          courseId,
          resourceSourcedId: resourceId,
          componentResourceId: expect.any(String),
          subjectSlug: params.subject,
          courseSlug: params.course,
          bundleFetchedAt: expect.any(Number),
          field: 'metadata.xp',
          outcome: 'bundle_invalid_metadata',
          reason: 'invalid_metadata',
        }),
      )
      const { slug: _slug, ...lessonParams } = params
      const lesson = await withWarnings(() =>
        fetchLessonLayoutData(sources[family], {}, lessonParams),
      )
      if (!lesson.result.ok) throw new Error(lesson.result.reason)
      const ids = lesson.result.data.lesson.contents.map((c) => c.resourceId)
      expect(ids).not.toContain(resourceId)
      expect(lesson.warnings).toEqual([
        expect.objectContaining({
          msg: 'bundle placement skipped',
          family,
          courseId,
          resourceSourcedId: resourceId,
          field: 'metadata.xp',
          outcome: 'bundle_invalid_metadata',
          reason: 'invalid_metadata',
        }),
      ])
    }
  })

  it('missing YouTube id → invalid_metadata', async () => {
    const { resourceId, courseId } = claimResource('video')
    await warm(resourceId)
    const { youtubeId: _gone, ...metadata } = metadataOf(resourceId)
    await updateResource(resourceId, courseId, { metadata })
    for (const family of FAMILIES) {
      const { result, warnings } = await withWarnings(() =>
        fetchVideoPageData(sources[family], {}, lessonContentParams(resourceId)),
      )
      expectNotFound(result, 'invalid_metadata')
      expect(warnings).toContainEqual(
        expect.objectContaining({
          msg: 'bundle resource lookup failed',
          courseId,
          resourceSourcedId: resourceId,
          field: 'metadata.youtubeId',
          outcome: 'bundle_invalid_metadata',
          reason: 'invalid_metadata',
        }),
      )
    }
  })

  it('malformed YouTube id → invalid_metadata', async () => {
    const { resourceId, courseId } = claimResource('video')
    await warm(resourceId)
    const metadata = { ...metadataOf(resourceId), youtubeId: 'not a video id' }
    await updateResource(resourceId, courseId, { metadata })
    for (const family of FAMILIES) {
      const { result, warnings } = await withWarnings(() =>
        fetchVideoPageData(sources[family], {}, lessonContentParams(resourceId)),
      )
      expectNotFound(result, 'invalid_metadata')
      expect(warnings).toContainEqual(
        expect.objectContaining({
          msg: 'bundle resource lookup failed',
          courseId,
          resourceSourcedId: resourceId,
          field: 'metadata.youtubeId',
          problem: 'is not an 11-character YouTube id',
          outcome: 'bundle_invalid_metadata',
          reason: 'invalid_metadata',
        }),
      )
    }
  })

  it('placement of an inactive resource → component_resource_mismatch', async () => {
    const { resourceId, courseId } = claimResource('exercise')
    await warm(resourceId)
    const params = lessonContentParams(resourceId)
    await updateResource(resourceId, courseId, { status: 'tobedeleted' })
    const placementId = smallDataset().componentResources.find(
      (p) => p.resourceSourcedId === resourceId,
    )?.sourcedId
    for (const family of FAMILIES) {
      const page = await withWarnings(() => fetchExercisePageData(sources[family], {}, params))
      expectNotFound(page.result, 'component_resource_mismatch')
      const expected = {
        family,
        courseId,
        resourceSourcedId: resourceId,
        componentResourceId: placementId,
        subjectSlug: params.subject,
        courseSlug: params.course,
        bundleFetchedAt: expect.any(Number),
        outcome: 'bundle_missing_data',
        reason: 'component_resource_mismatch',
      }
      expect(page.warnings).toContainEqual(
        expect.objectContaining({ msg: 'bundle resource lookup failed', ...expected }),
      )
      const { slug: _slug, ...lessonParams } = params
      const lesson = await withWarnings(() =>
        fetchLessonLayoutData(sources[family], {}, lessonParams),
      )
      expect(lesson.result.ok).toBe(true)
      expect(lesson.warnings).toEqual([
        expect.objectContaining({ msg: 'bundle placement skipped', ...expected }),
      ])
      const redirect = await withWarnings(() =>
        resolveResourceRedirect(sources[family], resourceId),
      )
      expect(redirect.result).toBeNull()
      expect(redirect.warnings).toEqual([
        expect.objectContaining({
          msg: 'resource redirect failed',
          courseId,
          resourceSourcedId: resourceId,
          reason: 'component_resource_mismatch',
        }),
      ])
    }
  })

  it('course moved to another subject behind a cached slug lookup → slug_mismatch', async () => {
    const target = courseSlugs().find((c) => !taken.has(c.courseId))
    if (!target) throw new Error('no free course')
    taken.add(target.courseId)
    const params = { subject: target.subject, course: target.course }
    for (const family of FAMILIES) {
      expect((await fetchCoursePageData(sources[family], {}, params)).ok).toBe(true)
    }
    const row = smallDataset().courses.find((c) => c.sourcedId === target.courseId)
    const movedTo = target.subject === 'arts' ? 'math' : 'arts'
    await campus.database.db
      .update(courses)
      .set({ metadata: { ...row?.metadata, subjectSlug: movedTo } })
      .where(eq(courses.sourcedId, target.courseId))
    await invalidateCaches(target.courseId)
    // The bundle family's slug → course lookup is still cached; the guard catches the move.
    const bundle = await withWarnings(() => fetchCoursePageData(sources.bundle, {}, params))
    expectNotFound(bundle.result, 'slug_mismatch')
    expect(bundle.warnings).toEqual([
      expect.objectContaining({
        msg: 'bundle course lookup failed',
        family: 'bundle',
        courseId: target.courseId,
        subjectSlug: target.subject,
        courseSlug: target.course,
        actualSubjectSlug: movedTo,
        bundleFetchedAt: expect.any(Number),
        outcome: 'bundle_missing_data',
        reason: 'slug_mismatch',
      }),
    ])
    // The legacy lists were dropped with the course list, so the old URL finds no course.
    const legacy = await withWarnings(() => fetchCoursePageData(sources.legacy, {}, params))
    expectNotFound(legacy.result, 'course_not_found')
    expect(legacy.warnings).toEqual([
      expect.objectContaining({ msg: 'bundle course lookup failed', reason: 'course_not_found' }),
    ])
  })
})
