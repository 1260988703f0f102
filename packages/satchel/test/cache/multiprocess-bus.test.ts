/**
 * Bus propagation across real processes: a delete in one process evicts the entry from the L1
 * of the others. Each observer holds the entry in L1 (checked with the cache's own hit
 * counters) and polls `get` every millisecond; since the delete also removes the L2 copy, the
 * first `undefined` it reads is the moment its L1 entry was evicted by the bus message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'

interface WatchResult {
  missAt: number
  polls: number
}

const WORKER = new URL('../workers/cache-worker.ts', import.meta.url)
const PREFIX = 'mpb'
const DELETES = 200
const BOUND_MS = 1000
const key = (i: number): string => `${PREFIX}:o:t:bus:${i}`

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

describe('cache bus across 3 processes', () => {
  let server: RedisServer
  let workers: WorkerProcess[]

  beforeAll(async () => {
    server = await startRedis()
    workers = await startWorkers(3, WORKER, { env: { REDIS_URL: server.url, PREFIX } })
    const ready = await Promise.all(workers.map((w) => w.call<{ subscribed?: boolean }>('ready')))
    expect(ready.map((s) => s?.subscribed)).toEqual([true, true, true])
  })

  afterAll(async () => {
    if (workers) await stopWorkers(workers)
    await server?.stop()
  })

  it(`propagates each of ${DELETES} deletes to the other processes' L1 within ${BOUND_MS} ms`, async () => {
    const [writer, ...observers] = workers as [WorkerProcess, ...WorkerProcess[]]
    const keys = Array.from({ length: DELETES }, (_, i) => key(i))
    await writer.call('set', { keys, value: { v: 1 }, ttl: 60_000 })
    // Let the writer's `set` messages arrive before the observers fill L1 (a late one would
    // evict the entry and the next read would refill it from L2, which is harmless but slower).
    await new Promise((r) => setTimeout(r, 200))
    const primed = await Promise.all(observers.map((o) => o.call<number>('primeL1', { keys })))
    expect(primed).toEqual([DELETES, DELETES])

    const latencies: number[] = []
    for (const k of keys) {
      await Promise.all(observers.map((o) => o.call('watch', { key: k })))
      const deletedAt = await writer.call<number>('del', { key: k })
      const seen = await Promise.all(
        observers.map((o) => o.call<WatchResult>('watchResult', { key: k })),
      )
      for (const s of seen) {
        expect(s.polls).toBeGreaterThan(0) // the entry was in L1 when the delete started
        latencies.push(s.missAt - deletedAt)
      }
    }
    const sorted = latencies.toSorted((a, b) => a - b)
    console.info(
      `[bus] ${latencies.length} delete propagations (${DELETES} deletes × 2 observers): ` +
        `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, ` +
        `max ${sorted.at(-1)?.toFixed(2)} ms`,
    )
    expect(sorted.at(-1)).toBeLessThan(BOUND_MS)
    const stats = await Promise.all(
      observers.map((o) => o.call<{ bus: { received: number } }>('stats')),
    )
    for (const s of stats) expect(s.bus.received).toBeGreaterThanOrEqual(2 * DELETES)
  })
})
