/**
 * Edge cases of the small data set (a course without assessments, single-type lessons, a video
 * shared by two courses) and the request store: within one request, the lesson layout and its
 * content read the course bundle once.
 */

import { requestScope } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import {
  fetchCourseChallengePageData,
  fetchCoursePageData,
  fetchLessonLayoutData,
  fetchUnitPageData,
  fetchVideoPageData,
  resolveResourceRedirect,
} from '../../src/content/loaders/index.js'
import type { CoursePageData, Loaded } from '../../src/content/page-data.js'
import { currentContentRequest, runWithContentRequest } from '../../src/content/request-context.js'
import { type ContentSource, createLegacySource } from '../../src/content/source.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import type { LogLine, TestCampus } from '../support/campus.js'
import { parseContentPath, startLoaderCampus } from './support.js'

let redis: RedisServer
let campus: TestCampus
let sources: Record<'bundle' | 'legacy', ContentSource>
const FAMILIES = ['bundle', 'legacy'] as const
const F = SMALL_FIXTURES

beforeAll(async () => {
  redis = await startRedis()
  campus = await startLoaderCampus({ redisUrl: redis.url })
  sources = { bundle: campus.deps.source, legacy: createLegacySource(campus.deps.content) }
}, 60_000)

afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

function data<T>(result: Loaded<T>): T {
  if (!result.ok) throw new Error(`not found: ${result.reason} ${JSON.stringify(result.fields)}`)
  return result.data
}

/** Splits a fixture's `/subject/course/unit/lesson` path. */
function lessonParams(path: string) {
  const [subject = '', course = '', unit = '', lesson = ''] = path.split('/').slice(1)
  return { subject, course, unit, lesson }
}

async function withWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: LogLine[] }> {
  const mark = campus.logs.length
  const result = await fn()
  return { result, warnings: campus.logs.slice(mark).filter((l) => l.level >= 40) }
}

describe.each(FAMILIES)('%s family: edge cases', (family) => {
  it('a course without assessments has no challenge and no unit assessments', async () => {
    const ref = F.courseWithoutAssessments
    const params = { subject: ref.subjectSlug, course: ref.slug }
    const page: CoursePageData = data(await fetchCoursePageData(sources[family], {}, params))
    expect(page.challenge).toBeNull()
    expect(page.units.length).toBeGreaterThan(0)
    for (const unit of page.units) {
      expect(unit.assessments).toEqual([])
      const unitPage = data(
        await fetchUnitPageData(sources[family], {}, { ...params, unit: unit.slug }),
      )
      expect(unitPage.unit.assessments).toEqual([])
    }
    // Its XP is its lessons' alone.
    const lessonXp = page.units.flatMap((u) => u.lessons).reduce((sum, l) => sum + l.xp, 0)
    expect(page.totalXp).toBe(lessonXp)
    const challenge = await withWarnings(() =>
      fetchCourseChallengePageData(sources[family], {}, { ...params, slug: 'course-challenge' }),
    )
    expect(challenge.result).toMatchObject({ ok: false, reason: 'resource_not_found' })
    expect(challenge.warnings).toEqual([
      expect.objectContaining({
        msg: 'bundle challenge lookup failed',
        courseId: ref.courseId,
        reason: 'resource_not_found',
      }),
    ])
  })

  it('a lesson with only exercises lists exercises with question counts', async () => {
    const layout = data(
      await fetchLessonLayoutData(sources[family], {}, lessonParams(F.lessonOnlyExercises.path)),
    )
    expect(layout.lesson.lessonId).toBe(F.lessonOnlyExercises.id)
    expect(layout.lesson.contents.length).toBeGreaterThan(0)
    for (const card of layout.lesson.contents) {
      expect(card.type).toBe('exercise')
      expect(card.questionCount).toBeGreaterThanOrEqual(4)
      expect(card.path).toMatch(/\/e\/[a-z0-9-]+$/)
    }
    expect(layout.lesson.xp).toBe(layout.lesson.contents.reduce((s, c) => s + c.xp, 0))
  })

  it('a lesson with only videos lists videos, each with a page', async () => {
    const params = lessonParams(F.lessonOnlyVideos.path)
    const layout = data(await fetchLessonLayoutData(sources[family], {}, params))
    expect(layout.lesson.contents.length).toBeGreaterThan(0)
    for (const card of layout.lesson.contents) {
      expect(card.type).toBe('video')
      expect(card).not.toHaveProperty('questionCount')
      const video = data(
        await fetchVideoPageData(sources[family], {}, { ...params, slug: card.slug }),
      )
      expect(video.youtubeId).toMatch(/^[A-Za-z0-9_-]{11}$/)
      expect(video.embedUrl).toBe(`https://www.youtube-nocookie.com/embed/${video.youtubeId}`)
    }
  })

  it('a shared video has no redirect (warning names both courses) but renders in both', async () => {
    const shared = F.sharedResource
    const { result, warnings } = await withWarnings(() =>
      resolveResourceRedirect(sources[family], shared.id),
    )
    expect(result).toBeNull()
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'resource redirect failed',
        family,
        resourceSourcedId: shared.id,
        courseIds: [...shared.courseIds].sort(),
        outcome: 'bundle_missing_data',
        reason: 'ambiguous',
      }),
    ])
    const pages = []
    for (const path of shared.paths) {
      const page = data(await fetchVideoPageData(sources[family], {}, parseContentPath(path)))
      expect(page.resource.resourceId).toBe(shared.id)
      expect(page.resource.path).toBe(path)
      pages.push(page)
    }
    expect(pages.map((p) => p.layout.course.courseId)).toEqual(shared.courseIds)
    expect(pages[0]?.youtubeId).toBe(pages[1]?.youtubeId)
  })
})

describe('request store', () => {
  it('lesson layout then its video read the bundle once per request', async () => {
    const params = parseContentPath(F.video.path)
    const { slug: _slug, ...lesson } = params
    const counters = await requestScope.run(() =>
      runWithContentRequest('lesson', async () => {
        data(await fetchLessonLayoutData(campus.deps.source, undefined, lesson))
        data(await fetchVideoPageData(campus.deps.source, undefined, params))
        const context = currentContentRequest()
        return { ...context }
      }),
    )
    expect((counters.bundleHits ?? 0) + (counters.bundleMisses ?? 0)).toBe(1)
    // Without a request scope, each loader fetches the bundle itself.
    const unscoped = await runWithContentRequest('lesson', async () => {
      data(await fetchLessonLayoutData(campus.deps.source, undefined, lesson))
      data(await fetchVideoPageData(campus.deps.source, undefined, params))
      const context = currentContentRequest()
      return { ...context }
    })
    expect((unscoped.bundleHits ?? 0) + (unscoped.bundleMisses ?? 0)).toBe(2)
  })

  it('the store is per request: another request fetches again', async () => {
    const params = parseContentPath(F.article.path)
    const { slug: _slug, ...lesson } = params
    const count = () =>
      requestScope.run(() =>
        runWithContentRequest('lesson', async () => {
          data(await fetchLessonLayoutData(campus.deps.source, undefined, lesson))
          data(
            await fetchVideoPageData(campus.deps.source, undefined, parseContentPath(F.video.path)),
          )
          const context = currentContentRequest()
          return (context?.bundleHits ?? 0) + (context?.bundleMisses ?? 0)
        }),
      )
    expect(await count()).toBe(1)
    expect(await count()).toBe(1)
  })
})

describe('bundle shape versions', () => {
  it('a cached bundle of another shape version is rebuilt, not answered with a 404', async () => {
    const locator = await sources.bundle.locateCourse(F.course.subjectSlug, F.course.slug)
    if (!locator) throw new Error('fixture course not found')
    const current = await sources.bundle.loadCourse(locator)
    if (!current) throw new Error('fixture course has no bundle')
    const key = contentKeys(campus.satchel).courseBundle(locator.orgId, locator.courseId)
    // What a later build with a new bundle layout would have left under the same key.
    await campus.satchel.cache.set(key, { ...current, version: 2, components: 'elsewhere' })
    const loaded = await sources.bundle.loadCourse(locator)
    expect(loaded?.version).toBe(1)
    expect(loaded?.components).toEqual(current.components)
    expect((await campus.satchel.cache.get<{ version: number }>(key))?.version).toBe(1)
  })
})
