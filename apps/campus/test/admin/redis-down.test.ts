import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CourseLocator } from '../../src/content/types.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { DISTRICT_ID } from '../../src/seed/roster.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { courseKeys, existing, mutate, warm } from './builder-support.js'

const { course, video } = SMALL_FIXTURES
const locator: CourseLocator = { courseId: course.id, orgId: DISTRICT_ID }
const target = [{ locator, subjectSlug: course.subjectSlug }]

describe('course builder while Redis is hung', () => {
  let redis: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    redis = await startRedis()
    // Short Redis bounds: a hung server must cost the mutation at most that, not the test's 2 s.
    campus = await startTestCampus({
      redisUrl: redis.url,
      satchel: { timeouts: { commandMs: 200, connectMs: 1000 } },
    })
  })
  afterAll(async () => {
    await redis?.resume().catch(() => {})
    await campus?.close()
    await redis?.stop()
  })

  it('commits, says the invalidation is pending, and finishes it once Redis is back', async () => {
    await warm(campus, target)
    const keys = courseKeys(campus, locator, course.subjectSlug)
    await redis.pause()
    const res = await mutate(campus, 'PATCH', `/resources/${video.id}`, {
      title: 'Renamed while Redis slept',
    })
    expect(res.invalidated.pending, JSON.stringify(res)).toBe(true)
    expect(campus.logs.some((l) => l.msg.startsWith('course builder could not reach Redis'))).toBe(
      true,
    )
    // This process's L1 is already clean: its next view reads the database.
    const page = await campus.deps.source.loadCourse(locator)
    expect(page?.resources.find((r) => r.sourcedId === video.id)?.title).toBe(
      'Renamed while Redis slept',
    )
    await redis.resume()
    // The background retry (1 s, then 2 s, … after the miss) gets its confirmation from Redis.
    // (A paused server also runs the timed-out UNLINKs still in its socket buffer when it
    // resumes; the retry is what covers the deletes that never reached it.)
    const deadline = Date.now() + 15_000
    while (!campus.logs.some((l) => l.msg === 'course builder invalidation retried')) {
      if (Date.now() > deadline) throw new Error('the invalidation was never retried')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await existing(campus, [keys.bundle, ...keys.legacy, keys.hub])).toBe(0)
  })
})
