/**
 * A rate-limit worker for multi-process tests: one satchel per process on `REDIS_URL`, driven by
 * the parent through `serveCommands`.
 */
import { createSatchel } from '../../src/index.js'
import type { RateLimiter, RateLimiterOptions } from '../../src/ratelimit/index.js'
import { serveCommands } from '../../src/testing/index.js'

const satchel = createSatchel({
  redis: process.env.REDIS_URL,
  prefix: 'rlmp',
  // A burst of hundreds of concurrent scripts on a 2-core machine shared with other workers
  // must not time out and fail open: this test is about Redis's answers.
  timeouts: { commandMs: 2000 },
})
// Ready only once connected: a burst that arrived while the connection was still coming up on a
// loaded machine would be decided by the failure policy, not by Redis.
await satchel.connect()
const limiters = new Map<string, RateLimiter>()

function limiterFor(options: RateLimiterOptions): RateLimiter {
  const id = JSON.stringify(options)
  let limiter = limiters.get(id)
  if (!limiter) {
    limiter = satchel.rateLimiter(options)
    limiters.set(id, limiter)
  }
  return limiter
}

interface Decision {
  success: boolean
  decidedAt: number
  resetAt: number
  reason: string | undefined
}

serveCommands({
  /** `calls` concurrent decisions for one identifier. */
  burst: async (args: { options: RateLimiterOptions; identifier: string; calls: number }) => {
    const limiter = limiterFor(args.options)
    const results = await Promise.all(
      Array.from({ length: args.calls }, () => limiter.limit(args.identifier)),
    )
    return results.map(
      (r): Decision => ({
        success: r.success,
        decidedAt: r.decidedAt,
        resetAt: r.resetAt,
        reason: r.reason,
      }),
    )
  },
  /** `concurrency` callers deciding in a loop for `durationMs`; returns every decision. */
  hammer: async (args: {
    options: RateLimiterOptions
    identifier: string
    concurrency: number
    durationMs: number
  }) => {
    const limiter = limiterFor(args.options)
    const decisions: Decision[] = []
    const deadline = performance.now() + args.durationMs
    const caller = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const r = await limiter.limit(args.identifier)
        decisions.push({
          success: r.success,
          decidedAt: r.decidedAt,
          resetAt: r.resetAt,
          reason: r.reason,
        })
        // A blocked answer is synchronous work; yield so the loop does not starve the socket.
        if (r.reason === 'blocked') await new Promise((resolve) => setImmediate(resolve))
      }
    }
    await Promise.all(Array.from({ length: args.concurrency }, caller))
    return decisions
  },
})
