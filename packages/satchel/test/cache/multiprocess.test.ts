/**
 * The cache's cross-process guarantees, with real Node processes sharing one Redis: stampede
 * protection, recovery from a crashed lock holder, and stale-while-revalidate.
 * Bus propagation across processes: `multiprocess-bus.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { LOADED_MACHINE_SLACK_MS } from '../helpers.js'

interface LoadResult {
  factoryCalls: number
  values: unknown[]
  errors: string[]
  maxMs: number
  factoryStartedAt: number | undefined
  finishedAt: number
}

const WORKER = new URL('../workers/cache-worker.ts', import.meta.url)
const PREFIX = 'mpc'
const LOCK_TTL_MS = 1000
// Round trips after the lock expires, on a machine that may be busy: far below the lock TTL, so
// a waiter that polled instead of waking on expiry would still be caught.
const RTT_ALLOWANCE_MS = LOADED_MACHINE_SLACK_MS
const key = (name: string): string => `${PREFIX}:o:t:${name}`
const wallNow = (): number => performance.timeOrigin + performance.now()

describe('cache across 4 processes', () => {
  let server: RedisServer
  let workers: WorkerProcess[]

  beforeAll(async () => {
    server = await startRedis()
    workers = await startWorkers(4, WORKER, {
      env: { REDIS_URL: server.url, PREFIX, LOCK_TTL_MS: String(LOCK_TTL_MS) },
    })
    await Promise.all(workers.map((w) => w.call('ready')))
  })

  afterAll(async () => {
    if (workers) await stopWorkers(workers)
    await server?.stop()
  })

  it('stampede: 4 processes × 250 concurrent getOrSet on a cold key → exactly 1 factory call', async () => {
    const FACTORY_MS = 200
    const startAt = wallNow() + 300
    const results = await Promise.all(
      workers.map((w) =>
        w.call<LoadResult>('getOrSet', {
          key: key('stampede'),
          concurrency: 250,
          factoryMs: FACTORY_MS,
          value: { report: 42 },
          ttl: 60_000,
          startAt,
        }),
      ),
    )
    const wallMs = Math.max(...results.map((r) => r.finishedAt)) - startAt
    console.info(
      `[stampede] 1,000 callers in 4 processes, ${FACTORY_MS} ms factory: wall ${wallMs.toFixed(1)} ms; ` +
        `slowest caller per process ${results.map((r) => r.maxMs.toFixed(1)).join(', ')} ms`,
    )
    expect(results.flatMap((r) => r.errors)).toEqual([])
    expect(results.reduce((sum, r) => sum + r.factoryCalls, 0)).toBe(1)
    const values = results.flatMap((r) => r.values)
    expect(values).toHaveLength(1000)
    for (const value of values) expect(value).toEqual({ report: 42 })
  })

  it('stale-while-revalidate: all 4 processes get the stale value at once, 1 refresh in total', async () => {
    const FACTORY_MS = 1000
    const k = key('swr')
    const first = await workers[0]!.call<LoadResult>('getOrSet', {
      key: k,
      concurrency: 1,
      factoryMs: 10,
      value: 'v1',
      ttl: 300,
      grace: 60_000,
    })
    expect(first.values).toEqual(['v1'])
    await new Promise((r) => setTimeout(r, 400)) // now stale, within grace

    const startAt = wallNow() + 200
    const results = await Promise.all(
      workers.map((w) =>
        w.call<LoadResult>('getOrSet', {
          key: k,
          concurrency: 50,
          factoryMs: FACTORY_MS,
          value: 'v2',
          startAt,
          // Applies to the refreshed entry, so it is still fresh when read back below.
          ttl: 60_000,
          grace: 60_000,
        }),
      ),
    )
    console.info(
      `[swr] slowest stale read per process: ${results.map((r) => r.maxMs.toFixed(1)).join(', ')} ms (factory ${FACTORY_MS} ms)`,
    )
    expect(results.flatMap((r) => r.errors)).toEqual([])
    for (const r of results) {
      expect(r.values.every((v) => v === 'v1')).toBe(true)
      // Served from the stale entry, not after the refresh.
      expect(r.maxMs).toBeLessThan(FACTORY_MS / 2)
    }
    // Let the background refresh finish, then count it across the processes.
    await new Promise((r) => setTimeout(r, FACTORY_MS + 500))
    const calls = await Promise.all(workers.map((w) => w.call<number>('factoryCalls', { key: k })))
    // The first load (worker 0) plus exactly one refresh.
    expect(calls.reduce((a, b) => a + b, 0)).toBe(2)
    const after = await Promise.all(workers.map((w) => w.call('get', { key: k })))
    expect(after).toEqual(['v2', 'v2', 'v2', 'v2'])
  })

  // Last: it kills worker 0.
  it('a lock holder killed mid-factory: another process loads within lock TTL + factory time', async () => {
    const FACTORY_MS = 200
    const k = key('crashed-holder')
    const [holder, other] = [workers[0]!, workers[1]!]
    const { startedAt } = await holder.call<{ startedAt: number }>('startStuckLoad', { key: k })
    const start = performance.now()
    holder.kill('SIGKILL')
    const result = await other.call<LoadResult>('getOrSet', {
      key: k,
      concurrency: 5,
      factoryMs: FACTORY_MS,
      value: 'loaded-by-other',
    })
    const elapsed = performance.now() - start
    console.info(
      `[lock] holder SIGKILLed; another process finished the load after ${elapsed.toFixed(1)} ms ` +
        `(lock TTL ${LOCK_TTL_MS} ms + factory ${FACTORY_MS} ms); its factory started ` +
        `${((result.factoryStartedAt ?? Number.NaN) - startedAt - LOCK_TTL_MS).toFixed(1)} ms ` +
        `after the lock expired at the latest (holder's factory start + lock TTL)`,
    )
    await holder.exited
    expect(result.errors).toEqual([])
    expect(result.values).toEqual(Array(5).fill('loaded-by-other'))
    expect(result.factoryCalls).toBe(1)
    // The lock was taken (TTL started) before the factory started and the kill came after, so
    // the lock expires at most LOCK_TTL_MS after the kill; the allowance covers the round trips
    // after expiry (SET NX, L2 re-read, write) and the IPC reply, not any polling delay.
    expect(elapsed).toBeLessThanOrEqual(LOCK_TTL_MS + FACTORY_MS + RTT_ALLOWANCE_MS)
  })
})
