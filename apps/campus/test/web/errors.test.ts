import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { ContentError } from '../../src/content/errors.js'
import type { ContentSource } from '../../src/content/source.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { F } from './fixtures.js'

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

describe('unexpected failures', () => {
  // A source whose reads fail like an unreachable database would: not a data problem, so
  // not a 404 but one 500 with an error log.
  function failingApp() {
    const broken: ContentSource = {
      ...campus.deps.source,
      locateCourse: () => Promise.reject(new ContentError('E_CONTENT_LOAD', 'database is gone')),
    }
    return createApp({ ...campus.deps, source: broken })
  }

  it('a thrown error → 500 page and one error log naming the route', async () => {
    const before = campus.logs.length
    const res = await failingApp().request(F.course.path)
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const body = await res.text()
    expect(body).toContain('<h1>Something went wrong</h1>')
    expect(body).not.toContain('database is gone')
    const errors = campus.logs.slice(before).filter((l) => l.level >= 50)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      msg: 'content request failed',
      route: 'course',
      path: F.course.path,
    })
  })

  it('a thrown error under /api/content → 500 problem JSON', async () => {
    const res = await failingApp().request(`/api/content${F.quiz.path}`)
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
  })
})

describe('request attribution', () => {
  it('Redis bytes read while serving a page are counted under its route name', async () => {
    // Warm Redis through the first campus, then read through one without the in-process tier
    // so the reads reach Redis.
    expect((await campus.app.request(F.video.path)).status).toBe(200)
    const cold = await startTestCampus({
      redisUrl: redis.url,
      database: campus.database,
      l1: false,
    })
    try {
      expect((await cold.app.request(F.video.path)).status).toBe(200)
      expect((await cold.app.request(`/api/content${F.course.path}`)).status).toBe(200)
      const metric = await cold.deps.registry
        .getSingleMetric('campus_redis_bytes_read_total')
        ?.get()
      const bytes = (route: string) =>
        metric?.values.find((v) => v.labels.route === route)?.value ?? 0
      expect(bytes('video')).toBeGreaterThan(0)
      expect(bytes('course')).toBeGreaterThan(0)
      expect(bytes('other')).toBe(0)
    } finally {
      await cold.close()
    }
  })
})

describe('malformed paths', () => {
  // PostgreSQL refuses NUL in text parameters: before the segment check these reached a query
  // and became 500s (and error logs) any visitor could trigger.
  const paths = [
    '/math%00',
    `${F.course.path}%00`,
    `${F.unit.path}/x%00y`,
    '/api/content/math%00',
    '/r/%00',
    '/api/content/r/%00',
    `/r/${'x'.repeat(201)}`,
    `${F.course.path}/Not-A-Slug`,
  ]
  for (const path of paths) {
    it(`${path.slice(0, 60)} → 404, no error log, no query`, async () => {
      const logsBefore = campus.logs.length
      const queriesBefore = campus.database.queryCount
      const res = await campus.app.request(path)
      expect(res.status).toBe(404)
      expect(campus.logs.slice(logsBefore).filter((l) => l.level >= 50)).toEqual([])
      expect(campus.database.queryCount).toBe(queriesBefore)
    })
  }
})
