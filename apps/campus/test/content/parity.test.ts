/**
 * Parity: every page of the small data set, loaded through the bundle family and the legacy
 * family, is deep-equal; and the same pages read back from a warm Redis (a second campus with
 * no in-process tier, as a fresh instance would) equal the freshly built ones.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchCoursePageData } from '../../src/content/loaders/index.js'
import type { CoursePageData } from '../../src/content/page-data.js'
import { type ContentSource, createLegacySource } from '../../src/content/source.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import type { TestCampus } from '../support/campus.js'
import {
  allPageTargets,
  courseSlugs,
  type PageTarget,
  smallDataset,
  startLoaderCampus,
} from './support.js'

let redis: RedisServer
let campus: TestCampus
let targets: PageTarget[]
const fresh = { bundle: new Map<string, unknown>(), legacy: new Map<string, unknown>() }

async function loadAll(source: ContentSource): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>()
  for (const target of targets) out.set(target.key, await target.load(source, {}))
  return out
}

beforeAll(async () => {
  redis = await startRedis()
  campus = await startLoaderCampus({ redisUrl: redis.url })
  const bundle = campus.deps.source
  const legacy = createLegacySource(campus.deps.content)
  targets = await allPageTargets(legacy)
  fresh.bundle = await loadAll(bundle)
  fresh.legacy = await loadAll(legacy)
}, 120_000)

afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

describe('loader parity (bundle vs legacy)', () => {
  it('covers every page kind and every placement of the data set', async () => {
    const kinds = new Set(targets.map((t) => t.key.split(' ')[0]))
    expect([...kinds].sort()).toEqual(
      [
        'article',
        'challenge',
        'course',
        'exercise',
        'hub',
        'lesson',
        'quiz',
        'redirect',
        'unit',
        'unit-test',
        'video',
      ].sort(),
    )
    // Every placement of the data set shows up as exactly one card on its course page.
    let cards = 0
    for (const { subject, course } of courseSlugs()) {
      const page = fresh.bundle.get(`course ${subject}/${course}`) as
        | { ok: true; data: CoursePageData }
        | undefined
      expect(page?.ok).toBe(true)
      if (!page) continue
      cards += page.data.challenge ? 1 : 0
      for (const unit of page.data.units) {
        cards += unit.assessments.length
        for (const lesson of unit.lessons) cards += lesson.contents.length
      }
    }
    expect(cards).toBe(smallDataset().componentResources.length)
  })

  it('gives deep-equal page data for every page', () => {
    expect(fresh.bundle.size).toBe(targets.length)
    for (const target of targets) {
      expect(fresh.bundle.get(target.key), target.key).toEqual(fresh.legacy.get(target.key))
    }
  })

  it('finds every page (only shared resources have no redirect)', () => {
    for (const [key, value] of fresh.bundle) {
      if (key.startsWith('redirect ')) continue
      expect((value as { ok: boolean }).ok, key).toBe(true)
    }
    const shared = SMALL_FIXTURES.sharedResource
    expect(fresh.bundle.get(`redirect ${shared.id}`)).toBeNull()
    expect(fresh.bundle.get(`redirect ${SMALL_FIXTURES.video.id}`)).toBe(SMALL_FIXTURES.video.path)
    expect(fresh.bundle.get(`redirect ${SMALL_FIXTURES.quiz.id}`)).toBe(SMALL_FIXTURES.quiz.path)
    expect(fresh.bundle.get(`redirect ${SMALL_FIXTURES.unitTest.id}`)).toBe(
      SMALL_FIXTURES.unitTest.path,
    )
    expect(fresh.bundle.get(`redirect ${SMALL_FIXTURES.challenge.id}`)).toBe(
      SMALL_FIXTURES.challenge.path,
    )
    // The walk logged nothing but the ambiguous redirects.
    const unexpected = campus
      .warnings()
      .filter((w) => !(w.msg === 'resource redirect failed' && w.reason === 'ambiguous'))
    expect(unexpected).toEqual([])
  })

  it('builds paths as the fixtures (docs/content-model.md) spell them', async () => {
    const { course, unit, lesson, article, video, exercise } = SMALL_FIXTURES
    const page = await fetchCoursePageData(
      campus.deps.source,
      {},
      {
        subject: course.subjectSlug,
        course: course.slug,
      },
    )
    if (!page.ok) throw new Error(page.reason)
    expect(page.data.course.path).toBe(course.path)
    const firstUnit = page.data.units[0]
    expect(firstUnit?.path).toBe(unit.path)
    const firstLesson = firstUnit?.lessons[0]
    expect(firstLesson?.path).toBe(lesson.path)
    const paths = firstLesson?.contents.map((c) => c.path)
    expect(paths).toEqual(expect.arrayContaining([article.path, video.path, exercise.path]))
  })

  it('serves equal pages from a warm Redis (second instance, no in-process tier)', async () => {
    const second = await startLoaderCampus({
      redisUrl: redis.url,
      database: campus.database,
      l1: false,
    })
    try {
      const queriesBefore = campus.database.queryCount
      const bundle = await loadAll(second.deps.source)
      const legacy = await loadAll(createLegacySource(second.deps.content))
      for (const target of targets) {
        expect(bundle.get(target.key), target.key).toEqual(fresh.bundle.get(target.key))
        expect(legacy.get(target.key), target.key).toEqual(fresh.legacy.get(target.key))
      }
      // Everything came from Redis: no bundle was rebuilt and the database was not queried.
      expect(second.logs.filter((l) => l.msg === 'course bundle built')).toEqual([])
      expect(campus.database.queryCount).toBe(queriesBefore)
      const stats = second.satchel.stats()
      expect(stats.l2.hits).toBeGreaterThan(0)
      expect(stats.redis.timeouts).toBe(0)
    } finally {
      await second.close()
    }
  }, 120_000)
})
