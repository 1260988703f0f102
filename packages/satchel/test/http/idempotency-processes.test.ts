import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { WORKER_READY_MS } from '../helpers.js'

const WORKER = new URL('../workers/idempotency-worker.ts', import.meta.url)
const RUNS_KEY = 'test:idempotency:runs'

interface Reply {
  status: number
  replayed: boolean
  body: string
}

describe('idempotency across real processes', () => {
  let server: RedisServer
  let admin: Redis
  let workers: WorkerProcess[] = []

  // One set of workers for the file (process start-up dominates its time); the last test kills
  // one of them.
  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
    workers = await startWorkers(3, WORKER, {
      env: { REDIS_URL: server.url, PREFIX: 'mp', LEASE_MS: '1000' },
      readyTimeoutMs: WORKER_READY_MS,
    })
  })
  afterAll(async () => {
    await stopWorkers(workers)
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    await admin.del(RUNS_KEY)
  })

  it('3 processes × 10 concurrent duplicates: the handler runs once in total', async () => {
    const replies = (
      await Promise.all(
        workers.map((w) => w.call<Reply[]>('send', { key: 'k', holdMs: 300, count: 10 })),
      )
    ).flat()
    expect(Number(await admin.get(RUNS_KEY))).toBe(1)
    const ran = replies.filter((r) => r.status === 201 && !r.replayed)
    const replayed = replies.filter((r) => r.replayed)
    const conflicts = replies.filter((r) => r.status === 409)
    expect(ran).toHaveLength(1)
    expect(ran.length + replayed.length + conflicts.length).toBe(30)
    // Afterwards every process replays the same bytes.
    const after = (
      await Promise.all(
        workers.map((w) => w.call<Reply[]>('send', { key: 'k', holdMs: 0, count: 5 })),
      )
    ).flat()
    expect(Number(await admin.get(RUNS_KEY))).toBe(1)
    for (const r of [...replayed, ...after]) {
      expect(r.replayed).toBe(true)
      expect(r.status).toBe(201)
      expect(r.body).toBe(ran[0]?.body)
    }
  })

  it('a process killed mid-request: after the lease one retry (of 20, in 2 processes) takes over', async () => {
    const [crashing, ...others] = workers as [WorkerProcess, ...WorkerProcess[]]
    await crashing.call('hang', { key: 'k2' })
    crashing.kill('SIGKILL')
    await crashing.exited
    // While the lease runs, retries are turned away.
    const early = await others[0]?.call<Reply[]>('send', { key: 'k2', holdMs: 0, count: 1 })
    expect(early?.[0]?.status).toBe(409)
    await new Promise((r) => setTimeout(r, 1_050))
    const replies = (
      await Promise.all(
        others.map((w) => w.call<Reply[]>('send', { key: 'k2', holdMs: 100, count: 10 })),
      )
    ).flat()
    expect(Number(await admin.get(RUNS_KEY))).toBe(2) // the crashed run and exactly one takeover
    expect(replies.filter((r) => r.status === 201 && !r.replayed)).toHaveLength(1)
    expect(replies.filter((r) => r.status === 409 || r.replayed)).toHaveLength(19)
  })
})
