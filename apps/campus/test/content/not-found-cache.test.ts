/**
 * Negative caching: a "not found" answer from the slug, hub and resource lookups is cached for
 * the short not-found TTL with no grace, so a burst of one made-up URL costs one database query,
 * Redis forgets it quickly, and the invalidation the course builder and imports run makes the next
 * lookup read the database again.
 */
import { eq, sql } from 'drizzle-orm'
import { parseDuration } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invalidateAffectedCourses } from '../../src/admin/invalidate.js'
import { NOT_FOUND_CACHE } from '../../src/content/cache-policy.js'
import { getResourceCourses, getSubjectHub, locateCourse } from '../../src/content/catalog.js'
import { contentKeys } from '../../src/content/keys.js'
import { courses } from '../../src/db/schema.js'
import type { TestCampus } from '../support/campus.js'
import { courseSlugs, startLoaderCampus } from './support.js'

let redis: RedisServer
let campus: TestCampus

beforeAll(async () => {
  redis = await startRedis()
  campus = await startLoaderCampus({ redisUrl: redis.url })
}, 60_000)

afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

const NOT_FOUND_TTL_MS = parseDuration(NOT_FOUND_CACHE.ttl, 'ttl')
/** The not-found TTL with the cache's default ±10 % jitter on top (and no grace). */
const NOT_FOUND_MAX_MS = NOT_FOUND_TTL_MS * 1.1

/** Redis's remaining lifetime of `key` (ms), or a negative number when it is absent. */
async function pttl(key: string): Promise<number> {
  const client = campus.satchel.redis.client
  if (!client) throw new Error('this test needs Redis')
  return client.pttl(key)
}

describe('not-found answers are cached briefly', () => {
  it('an unknown course slug is cached for the not-found TTL only, and a delete makes it visible', async () => {
    const ctx = campus.deps.content
    const keys = contentKeys(campus.satchel)
    const [target] = courseSlugs()
    if (!target) throw new Error('the small data set has courses')
    const madeUp = `no-such-course-${Date.now()}`
    const key = keys.courseLocator(target.subject, madeUp)

    expect(await locateCourse(ctx, target.subject, madeUp)).toBeNull()
    const left = await pttl(key)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(NOT_FOUND_MAX_MS)

    // The course appears in the database behind the cache's back: the cached answer still says
    // "not found", which proves the second lookup never reached the database.
    await ctx.db
      .update(courses)
      .set({ metadata: sql`jsonb_set(${courses.metadata}, '{slug}', to_jsonb(${madeUp}::text))` })
      .where(eq(courses.sourcedId, target.courseId))
    expect(await locateCourse(ctx, target.subject, madeUp)).toBeNull()

    // The invalidation every import and course-builder write runs drops the slug lookup of each
    // course it touched (everywhere, through the bus): found at once.
    const invalidated = await invalidateAffectedCourses(campus.deps, [target.courseId], {
      reason: 'test.slug-change',
    })
    expect(invalidated.pending).toBe(false)
    expect(await locateCourse(ctx, target.subject, madeUp)).toMatchObject({
      courseId: target.courseId,
    })
    // A found course is cached for the content TTL, far beyond the not-found one.
    expect(await pttl(key)).toBeGreaterThan(NOT_FOUND_MAX_MS)
  })

  it('an empty subject hub and a resource in no course are cached for the not-found TTL only', async () => {
    const ctx = campus.deps.content
    const keys = contentKeys(campus.satchel)
    const subject = `no-such-subject-${Date.now()}`
    expect(await getSubjectHub(ctx, subject)).toEqual([])
    const hubLeft = await pttl(keys.subjectHub(subject))
    expect(hubLeft).toBeGreaterThan(0)
    expect(hubLeft).toBeLessThanOrEqual(NOT_FOUND_MAX_MS)

    const resource = `no-such-resource-${Date.now()}`
    expect(await getResourceCourses(ctx, resource)).toEqual([])
    const resourceLeft = await pttl(keys.resourceCourses(resource))
    expect(resourceLeft).toBeGreaterThan(0)
    expect(resourceLeft).toBeLessThanOrEqual(NOT_FOUND_MAX_MS)
  })
})
