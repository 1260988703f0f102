/**
 * One contract suite, run against both backends of the algorithms: the Lua scripts on a real
 * Redis and the in-process insurance limiter. Both must make the same decisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { toResult } from '../../src/ratelimit/decision.js'
import {
  ALGORITHMS,
  type LimitResult,
  LocalLimiter,
  type RateLimitAlgorithm,
} from '../../src/ratelimit/index.js'
import { sleep, useRedis } from '../helpers.js'

interface Shape {
  algorithm: RateLimitAlgorithm
  limit: number
  windowMs: number
  refillRate?: number
}
type Decide = (identifier: string, cost?: number) => Promise<LimitResult>

const server = useRedis()
let satchel: Satchel
let seq = 0

beforeAll(async () => {
  satchel = createSatchel({ redis: server.url, prefix: 'rlc', timeouts: { commandMs: 1000 } })
  await satchel.connect()
})
afterAll(async () => {
  await satchel.close()
})

const backends: Record<string, (shape: Shape) => Decide> = {
  redis: (shape) => {
    const limiter = satchel.rateLimiter({
      name: `contract-${++seq}`,
      algorithm: shape.algorithm,
      limit: shape.limit,
      window: shape.windowMs,
      ...(shape.refillRate === undefined ? {} : { refillRate: shape.refillRate }),
      blockCache: false,
      failurePolicy: 'closed',
    })
    return async (identifier, cost = 1) => {
      const result = await limiter.limit(identifier, { cost })
      // Every answer in this suite must come from Redis, not from a failure policy.
      expect(result.reason).toBeUndefined()
      return result
    }
  },
  local: (shape) => {
    const local = new LocalLimiter({
      algorithm: shape.algorithm,
      limit: shape.limit,
      windowMs: shape.windowMs,
      refillRate: shape.refillRate ?? shape.limit,
      maxEntries: 100,
    })
    return async (identifier, cost = 1) => toResult(local.decide(identifier, cost), shape.limit)
  },
}

/** A shape whose quota does not come back during the test: 1 h windows, a near-empty refill. */
function slow(algorithm: RateLimitAlgorithm, limit: number): Shape {
  return algorithm === 'token-bucket'
    ? { algorithm, limit, windowMs: 3_600_000, refillRate: 0.001 }
    : { algorithm, limit, windowMs: 3_600_000 }
}

describe.each(Object.keys(backends))('rate-limit algorithms on the %s backend', (backend) => {
  const make = backends[backend]!

  describe.each(ALGORITHMS)('%s', (algorithm) => {
    it('admits `limit` calls, counting down remaining, then rejects with a retry time', async () => {
      const decide = make(slow(algorithm, 5))
      const remaining: number[] = []
      for (let i = 0; i < 5; i++) {
        const r = await decide('a')
        expect(r.success).toBe(true)
        expect(r.retryAfterMs).toBe(0)
        expect(r.limit).toBe(5)
        remaining.push(r.remaining)
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0])
      const rejected = await decide('a')
      expect(rejected.success).toBe(false)
      expect(rejected.remaining).toBe(0)
      expect(rejected.retryAfterMs).toBeGreaterThan(0)
      expect(rejected.resetAt).toBeGreaterThan(rejected.decidedAt)
      // Another identifier has its own quota.
      expect((await decide('b')).success).toBe(true)
    })

    it('charges `cost` units and rejects a cost that does not fit, without consuming', async () => {
      const decide = make(slow(algorithm, 10))
      expect((await decide('c', 4)).remaining).toBe(6)
      expect((await decide('c', 4)).remaining).toBe(2)
      const tooBig = await decide('c', 4)
      expect(tooBig.success).toBe(false)
      expect(tooBig.remaining).toBe(2)
      const fits = await decide('c', 2)
      expect(fits.success).toBe(true)
      expect(fits.remaining).toBe(0)
    })

    it('rejects cost > limit (retry never) and leaves the quota untouched', async () => {
      const decide = make(slow(algorithm, 3))
      const r = await decide('d', 4)
      expect(r.success).toBe(false)
      expect(r.retryAfterMs).toBe(Number.POSITIVE_INFINITY)
      expect(r.remaining).toBe(3)
      expect((await decide('d', 3)).success).toBe(true)
    })

    it('admits again once retryAfterMs has passed', async () => {
      const shape: Shape =
        algorithm === 'token-bucket'
          ? { algorithm, limit: 2, windowMs: 300, refillRate: 2 }
          : { algorithm, limit: 2, windowMs: 300 }
      const decide = make(shape)
      // Windows are aligned to the epoch: start just after a boundary so all three calls share
      // one window (the same machine's clock as the Redis server's).
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') {
        await sleep(300 - (Date.now() % 300) + 5)
      }
      await decide('e')
      await decide('e')
      const rejected = await decide('e')
      expect(rejected.success).toBe(false)
      expect(rejected.retryAfterMs).toBeGreaterThan(0)
      expect(rejected.retryAfterMs).toBeLessThanOrEqual(600)
      await sleep(rejected.retryAfterMs + 5)
      expect((await decide('e')).success).toBe(true)
    })
  })
})
