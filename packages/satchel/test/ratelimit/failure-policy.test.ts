/**
 * Failure policies against a hung (SIGSTOP), killed or absent Redis, the limiter's own timeout,
 * and the `rate_limit` flag.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import type { FailurePolicy, LimitResult } from '../../src/ratelimit/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { LOADED_MACHINE_SLACK_MS, timed } from '../helpers.js'

const COMMAND_MS = 50

describe('rate limiter failure policies', () => {
  let server: RedisServer
  let satchel: Satchel | undefined

  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })
  afterEach(async () => {
    await satchel?.close({ deadlineMs: 100 })
    satchel = undefined
    await server.resume()
    if (server.state === 'exited') await server.restart()
  })

  async function connected(flags?: string): Promise<Satchel> {
    satchel = createSatchel({
      redis: server.url,
      prefix: 'rlf',
      timeouts: { commandMs: COMMAND_MS, connectMs: 500 },
      // High threshold: every call below must really wait for its own timeout.
      breaker: { failureThreshold: 10_000, probeIntervalMs: 200 },
      ...(flags === undefined ? {} : { flags }),
    })
    await satchel.connect()
    return satchel
  }

  const cases: { policy: FailurePolicy; timeoutMs?: number }[] = [
    { policy: 'open' },
    { policy: 'closed' },
    { policy: 'insurance' },
    // Below commandMs: the limiter's own timer bounds the wait.
    { policy: 'open', timeoutMs: 20 },
    { policy: 'insurance', timeoutMs: 20 },
  ]

  it.each(cases)(
    'paused Redis: $policy (timeoutMs $timeoutMs) decides on its own timeout, never waiting for Redis',
    async ({ policy, timeoutMs }) => {
      const s = await connected()
      const limiter = s.rateLimiter({
        name: `paused-${policy}-${timeoutMs ?? 'default'}`,
        algorithm: 'sliding-log',
        limit: 3,
        window: '1m',
        failurePolicy: policy,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      })
      const fallbacks: unknown[] = []
      s.events.on('ratelimit:fallback', (e) => fallbacks.push(e))
      expect((await limiter.limit('warm')).reason).toBeUndefined()
      await server.pause()
      // A sanity bound: the server stays paused, so without the timeout no call would return.
      const bound = (timeoutMs ?? COMMAND_MS) + LOADED_MACHINE_SLACK_MS
      const results: { ms: number; value?: LimitResult }[] = []
      // Sequential, so the insurance limiter's count is deterministic.
      for (let i = 0; i < 5; i++) results.push(await timed(limiter.limit('ip:192.0.2.1')))
      for (const r of results) {
        expect(r.ms).toBeLessThan(bound)
        expect(r.value?.reason).toBe('timeout')
      }
      const outcomes = results.map((r) => r.value?.success)
      if (policy === 'open') expect(outcomes).toEqual([true, true, true, true, true])
      if (policy === 'closed') {
        expect(outcomes).toEqual([false, false, false, false, false])
        expect(results[0]?.value?.retryAfterMs).toBeGreaterThan(0)
      }
      // The in-process limiter enforces the same limit (3) on what this process sees.
      if (policy === 'insurance') expect(outcomes).toEqual([true, true, true, false, false])
      expect(fallbacks).toHaveLength(5)
      expect(fallbacks[0]).toMatchObject({ policy, reason: 'timeout' })
      expect(limiter.stats().fallbacks).toBe(5)
    },
  )

  it('bounds a decision by timeoutMs even while the first connection hangs (connectMs 5 s)', async () => {
    await server.pause()
    satchel = createSatchel({
      redis: server.url,
      prefix: 'rlf',
      // Far above the sanity bound, so waiting for the connection could not pass.
      timeouts: { commandMs: COMMAND_MS, connectMs: 5000 },
    })
    const limiter = satchel.rateLimiter({ name: 'connecting', limit: 5, window: '1m' })
    const r = await timed(limiter.limit('u'))
    expect(r.value).toMatchObject({ success: true, reason: 'timeout' })
    expect(r.ms).toBeLessThan(COMMAND_MS + LOADED_MACHINE_SLACK_MS)
  })

  it('uses reason error when Redis is down and the breaker is open, without waiting', async () => {
    satchel = createSatchel({
      redis: server.url,
      prefix: 'rlf',
      timeouts: { commandMs: COMMAND_MS, connectMs: 200 },
      breaker: { failureThreshold: 2, probeIntervalMs: 5000 },
      reconnect: { baseMs: 20, capMs: 100 },
    })
    await satchel.connect()
    const limiter = satchel.rateLimiter({
      name: 'down',
      algorithm: 'token-bucket',
      limit: 2,
      window: '1m',
      failurePolicy: 'insurance',
    })
    await server.kill()
    await limiter.limit('x')
    await limiter.limit('x')
    expect(satchel.redis.breaker?.state).toBe('open')
    const shortCircuited = satchel.stats().redis.shortCircuited
    expect(await limiter.limit('x')).toMatchObject({ success: false, reason: 'error' })
    // Refused by the open breaker: Redis was not asked.
    expect(satchel.stats().redis.shortCircuited).toBe(shortCircuited + 1)
    const open = satchel.rateLimiter({ name: 'down-open', limit: 1, window: '1m' })
    expect(await open.limit('x')).toMatchObject({ success: true, reason: 'error' })
  })

  it('works memory-only: every decision is the failure policy with reason error', async () => {
    satchel = createSatchel({ prefix: 'rlf' })
    const limiter = satchel.rateLimiter({
      name: 'memory',
      algorithm: 'fixed-window',
      limit: 2,
      window: '1h',
      failurePolicy: 'insurance',
    })
    const results = [await limiter.limit('u'), await limiter.limit('u'), await limiter.limit('u')]
    expect(results.map((r) => [r.success, r.reason])).toEqual([
      [true, 'error'],
      [true, 'error'],
      [false, 'error'],
    ])
    expect(results[2]?.retryAfterMs).toBeGreaterThan(0)
  })

  it('bypasses Redis entirely when the rate_limit flag is off', async () => {
    const s = await connected('-rate_limit')
    const limiter = s.rateLimiter({ name: 'flag', limit: 1, window: '1h', failurePolicy: 'closed' })
    const before = s.stats().redis.commands
    const results = await Promise.all(Array.from({ length: 10 }, () => limiter.limit('u')))
    for (const r of results) expect(r).toMatchObject({ success: true, reason: 'flag-off' })
    expect(s.stats().redis.commands).toBe(before)
    expect(await s.redis.exec('exists', (r) => r.exists(limiter.key('u')))).toBe(0)
    expect(limiter.stats().flagOff).toBe(10)
  })
})
