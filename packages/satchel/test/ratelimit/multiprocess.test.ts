import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimiterOptions } from '../../src/ratelimit/index.js'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { WORKER_READY_MS } from '../helpers.js'

const WORKER = new URL('../workers/ratelimit-worker.ts', import.meta.url)

interface Decision {
  success: boolean
  decidedAt: number
  resetAt: number
  reason: string | undefined
}

/**
 * The largest number of admitted decisions in any half-open interval [t, t + span), scanning
 * from every admitted timestamp (the maximum is always reached by an interval starting at one).
 */
function maxInAnyInterval(times: number[], span: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  let end = 0
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + span) end++
    max = Math.max(max, end - start)
  }
  return max
}

describe('rate limits across 4 processes sharing one Redis', () => {
  let server: RedisServer
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    server = await startRedis()
    workers = await startWorkers(4, WORKER, {
      env: { REDIS_URL: server.url },
      readyTimeoutMs: WORKER_READY_MS,
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    await server.stop()
  })

  it('fixed window: 4 processes x 500 concurrent calls admit at most N per window', async () => {
    const options: RateLimiterOptions = {
      name: 'mp-fixed',
      algorithm: 'fixed-window',
      limit: 37,
      window: '1h',
      failurePolicy: 'closed',
    }
    const all = (
      await Promise.all(
        workers.map((w) =>
          w.call<Decision[]>('burst', { options, identifier: 'ip:198.51.100.7', calls: 500 }),
        ),
      )
    ).flat()
    expect(all).toHaveLength(2000)
    // Every answer came from Redis (or the block cache): no fallback decided anything.
    expect(all.filter((d) => d.reason !== undefined && d.reason !== 'blocked')).toEqual([])
    const admittedPerWindow = new Map<number, number>()
    for (const d of all) {
      if (d.success) admittedPerWindow.set(d.resetAt, (admittedPerWindow.get(d.resetAt) ?? 0) + 1)
    }
    const counts = [...admittedPerWindow.values()]
    for (const count of counts) expect(count).toBeLessThanOrEqual(37)
    // 2000 calls against a quota of 37 fill the window the burst lands in (1 h windows: the
    // burst crosses a boundary only if it runs across the full hour, then both are checked).
    expect(Math.max(...counts)).toBe(37)
  })

  it('sliding log: at most N admitted in every interval of length W (server time)', async () => {
    const options: RateLimiterOptions = {
      name: 'mp-log',
      algorithm: 'sliding-log',
      limit: 12,
      window: 150,
      failurePolicy: 'closed',
    }
    const all = (
      await Promise.all(
        workers.map((w) =>
          w.call<Decision[]>('hammer', {
            options,
            identifier: 'user:hammer',
            concurrency: 16,
            durationMs: 1200,
          }),
        ),
      )
    ).flat()
    expect(all.filter((d) => d.reason !== undefined && d.reason !== 'blocked')).toEqual([])
    const admitted = all.filter((d) => d.success).map((d) => d.decidedAt)
    expect(maxInAnyInterval(admitted, 150)).toBeLessThanOrEqual(12)
    // Several windows' worth got through: the limiter limits, it does not just refuse.
    expect(admitted.length).toBeGreaterThan(12 * 3)
  })

  it('token bucket: at most capacity + refill x T admitted in every interval T', async () => {
    const options: RateLimiterOptions = {
      name: 'mp-bucket',
      algorithm: 'token-bucket',
      limit: 10,
      window: 200,
      refillRate: 10,
      failurePolicy: 'closed',
    }
    const all = (
      await Promise.all(
        workers.map((w) =>
          w.call<Decision[]>('hammer', {
            options,
            identifier: 'org:bucket',
            concurrency: 16,
            durationMs: 1200,
          }),
        ),
      )
    ).flat()
    expect(all.filter((d) => d.reason !== undefined && d.reason !== 'blocked')).toEqual([])
    const admitted = all.filter((d) => d.success).map((d) => d.decidedAt)
    // Refill is 10 tokens per 200 ms; the bucket starts full (10).
    for (const span of [50, 100, 200, 400]) {
      const bound = Math.floor(10 + (10 * span) / 200 + 1e-9)
      expect(maxInAnyInterval(admitted, span)).toBeLessThanOrEqual(bound)
    }
    expect(admitted.length).toBeGreaterThan(10 * 3)
  })
})
