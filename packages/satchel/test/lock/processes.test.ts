import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'

const WORKERS = 8
const PER_WORKER = 1000

describe('locks across real processes', () => {
  let lockServer: RedisServer
  let sideServer: RedisServer
  let side: Redis
  let workers: WorkerProcess[] = []

  beforeAll(async () => {
    ;[lockServer, sideServer] = await Promise.all([startRedis(), startRedis()])
    side = new Redis(sideServer.url)
    workers = await startWorkers(WORKERS, new URL('../workers/lock-worker.ts', import.meta.url), {
      env: { REDIS_URL: lockServer.url, SIDE_URL: sideServer.url },
      // Eight tsx processes compiling at once on a shared 2-core machine.
      readyTimeoutMs: 60_000,
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    side?.disconnect()
    await Promise.all([lockServer?.stop(), sideServer?.stop()])
  })

  it(`${WORKERS} processes × ${PER_WORKER} acquisitions: never two holders, fences strictly increase in acquisition order`, async () => {
    const results = await Promise.all(
      workers.map((w) =>
        w.call<{ maxOccupancy: number; notReleased: number; acquired: number }>('hammer', {
          resource: 'shared',
          count: PER_WORKER,
          occupancyKey: 'occupancy',
          fencesKey: 'fences',
        }),
      ),
    )
    for (const r of results) {
      expect(r.maxOccupancy).toBe(1)
      expect(r.notReleased).toBe(0)
      expect(r.acquired).toBe(PER_WORKER)
    }
    expect(await side.get('occupancy')).toBe('0')
    const fences = (await side.lrange('fences', 0, -1)).map(Number)
    expect(fences).toHaveLength(WORKERS * PER_WORKER)
    let violations = 0
    for (let i = 1; i < fences.length; i++) if (!(fences[i]! > fences[i - 1]!)) violations++
    expect(violations).toBe(0)
    expect(fences.every(Number.isSafeInteger)).toBe(true)
    // Headroom for a loaded CI machine; it takes a few seconds on an idle one.
  }, 90_000)
})
