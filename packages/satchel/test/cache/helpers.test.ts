import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createInvalidator, TTL, withCache, withCacheParam } from '../../src/cache/helpers/index.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'

describe('cache helpers against a real Redis', () => {
  let server: RedisServer
  let satchel: Satchel
  let raw: Redis

  beforeAll(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, prefix: 'helpers' })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    raw?.disconnect()
    await server?.stop()
  })
  beforeEach(async () => {
    await raw.flushdb()
  })

  it('exports the seed TTL presets in milliseconds', () => {
    expect(TTL).toEqual({
      SHORT: 60_000,
      MEDIUM: 300_000,
      LONG: 1_800_000,
      VERY_LONG: 3_600_000,
      DAY: 86_400_000,
    })
  })

  it('withCache loads once, stores under the key with the given TTL', async () => {
    const key = satchel.keys.org('o1').key('courses', 'active')
    let calls = 0
    const getActive = withCache(
      () => satchel.cache,
      key,
      async () => {
        calls++
        return ['algebra', 'geometry']
      },
      TTL.SHORT,
    )
    expect(await getActive()).toEqual(['algebra', 'geometry'])
    expect(await getActive()).toEqual(['algebra', 'geometry'])
    expect(calls).toBe(1)
    expect(await raw.exists(key)).toBe(1)
    const ttl = await satchel.cache.ttl(key)
    // Jitter (default ±10%) may move it either way; seconds-as-ms (60 ms) would be far below.
    expect(ttl).toBeGreaterThan(TTL.SHORT * 0.85)
    expect(ttl).toBeLessThanOrEqual(TTL.SHORT * 1.1)
  })

  it('withCacheParam caches one entry per parameter', async () => {
    const calls: string[] = []
    const getCourse = withCacheParam(
      satchel.cache,
      (orgId: string, id: string) => satchel.keys.org(orgId).key('course', id),
      async (orgId: string, id: string) => {
        calls.push(`${orgId}/${id}`)
        return { orgId, id }
      },
      (_orgId, id) => ({ ttl: '5m', tags: [`course:${id}`] }),
    )
    expect(await getCourse('o1', 'c1')).toEqual({ orgId: 'o1', id: 'c1' })
    expect(await getCourse('o1', 'c1')).toEqual({ orgId: 'o1', id: 'c1' })
    expect(await getCourse('o1', 'c2')).toEqual({ orgId: 'o1', id: 'c2' })
    expect(await getCourse('o2', 'c1')).toEqual({ orgId: 'o2', id: 'c1' })
    expect(await getCourse('o1', 'c2')).toEqual({ orgId: 'o1', id: 'c2' })
    expect(calls).toEqual(['o1/c1', 'o1/c2', 'o2/c1'])
    expect(await raw.exists(satchel.keys.org('o1').key('course', 'c1'))).toBe(1)
    expect(await raw.exists(satchel.keys.org('o2').key('course', 'c1'))).toBe(1)
    // The per-argument options carried the tag: invalidating it makes c1 of both orgs miss.
    await satchel.cache.invalidateTags(['course:c1'])
    await getCourse('o1', 'c1')
    await getCourse('o2', 'c1')
    await getCourse('o1', 'c2')
    expect(calls).toEqual(['o1/c1', 'o1/c2', 'o2/c1', 'o1/c1', 'o2/c1'])
  })

  it('createInvalidator removes exactly the keys, tags and patterns an entity maps to', async () => {
    const cache = satchel.cache
    const org = satchel.keys.org('o7')
    const loads: string[] = []
    const load = (name: string) => async () => {
      loads.push(name)
      return name
    }
    await cache.set(org.key('course', 42), 'course-42')
    await cache.set(org.key('course', 43), 'course-43')
    await cache.set(org.key('roster', 42), 'roster-42', { tags: ['course:42'] })
    await cache.set(org.key('roster', 43), 'roster-43', { tags: ['course:43'] })
    await cache.set(org.key('analytics', 'weekly'), 'weekly')
    await cache.set(org.key('analytics', 'monthly'), 'monthly')
    await cache.set(org.key('report', 1), 'report-1')

    const invalidate = createInvalidator(cache, {
      course: (orgId: string, courseId: number) => ({
        keys: [satchel.keys.org(orgId).key('course', courseId)],
        tags: [`course:${courseId}`],
      }),
      analytics: (orgId: string) => ({ patterns: [satchel.keys.org(orgId).pattern('analytics')] }),
    })

    expect(await invalidate.course('o7', 42)).toEqual({ keys: 1, patterns: 0, tags: 1 })
    expect(await cache.exists(org.key('course', 42))).toBe(false)
    expect(await raw.exists(org.key('course', 42))).toBe(0)
    expect(await cache.exists(org.key('course', 43))).toBe(true)
    // Tagged entry: a miss now; the other course's tagged entry is untouched.
    expect(await cache.getOrSet(org.key('roster', 42), load('roster-42'))).toBe('roster-42')
    expect(await cache.getOrSet(org.key('roster', 43), load('roster-43'))).toBe('roster-43')
    expect(loads).toEqual(['roster-42'])

    expect(await invalidate.analytics('o7')).toEqual({ keys: 0, patterns: 2, tags: 0 })
    expect(await raw.exists(org.key('analytics', 'weekly'), org.key('analytics', 'monthly'))).toBe(
      0,
    )
    expect(await cache.get(org.key('analytics', 'weekly'))).toBeUndefined()
    expect(await cache.get(org.key('report', 1))).toBe('report-1')
  })

  describe('@Cached on a class method (TC39 decorator, compiled by tsx in a worker)', () => {
    let workers: WorkerProcess[] = []
    afterAll(async () => {
      await workers[0]?.call('close').catch(() => {})
      await stopWorkers(workers)
    })

    it('caches per arguments, keeps `this`, and respects tags', async () => {
      workers = await startWorkers(1, new URL('./workers/cached-service.ts', import.meta.url), {
        env: { REDIS_URL: server.url },
      })
      const worker = workers[0] as WorkerProcess
      const get = (orgId: string, courseId: number) =>
        worker.call<{ orgId: string; courseId: number; by: string }>('get', { orgId, courseId })

      expect(await get('o1', 1)).toEqual({ orgId: 'o1', courseId: 1, by: 'service' })
      expect(await get('o1', 1)).toEqual({ orgId: 'o1', courseId: 1, by: 'service' })
      expect(await get('o1', 2)).toEqual({ orgId: 'o1', courseId: 2, by: 'service' })
      expect(await get('o2', 1)).toEqual({ orgId: 'o2', courseId: 1, by: 'service' })
      expect(await worker.call('calls')).toEqual(['o1/1', 'o1/2', 'o2/1'])
      // Stored in Redis under the key function's key, with the configured TTL (1 min).
      const key = await worker.call<string>('key', { orgId: 'o1', courseId: 1 })
      expect(await raw.exists(key)).toBe(1)
      expect(await raw.pttl(key)).toBeGreaterThan(0)

      await worker.call('invalidate', { tags: ['course:1'] })
      await get('o1', 1)
      await get('o2', 1)
      await get('o1', 2)
      expect(await worker.call('calls')).toEqual(['o1/1', 'o1/2', 'o2/1', 'o1/1', 'o2/1'])
    })
  })
})
