import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { timed } from '../helpers.js'

// A server that accepts the connection but never answers (SIGSTOP before the first connect).
// connectMs is long on purpose: a first call that waited for the connection would take it.
const COMMAND_MS = 50
const CONNECT_MS = 8000
// A generous sanity bound (the machine may be loaded), far below CONNECT_MS; the real figure is
// about commandMs.
const BOUND_MS = 2500

describe('hung Redis at start: every capability answers its first call within about commandMs', () => {
  let server: RedisServer
  let satchel: Satchel
  beforeAll(async () => {
    server = await startRedis()
    await server.pause()
  })
  afterEach(async () => {
    await satchel.close({ deadlineMs: 100 })
  })
  afterAll(async () => {
    await server.stop()
  })

  function fresh(): Satchel {
    satchel = createSatchel({
      redis: server.url,
      timeouts: { commandMs: COMMAND_MS, connectMs: CONNECT_MS },
    })
    return satchel
  }

  it('cache: getOrSet falls back to the factory', async () => {
    const s = fresh()
    const r = await timed(s.cache.getOrSet('k', () => 'from-db'))
    expect(r.value).toBe('from-db')
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('locks: acquire fails with E_REDIS_UNAVAILABLE', async () => {
    const s = fresh()
    const r = await timed(s.locks.acquire('job', { retry: false }))
    expect(r.error).toMatchObject({ code: 'E_REDIS_UNAVAILABLE', reason: 'timeout' })
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('idempotency: begin answers store-down (proceed)', async () => {
    const s = fresh()
    const idem = s.idempotency({})
    const r = await timed(
      idem.begin({
        key: 'k1',
        endpoint: 'POST /x',
        orgId: 'o1',
        principal: 'u1',
        fingerprint: 'f',
      }),
    )
    expect(r.value).toMatchObject({ kind: 'bypass', reason: 'store-down' })
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('counter: get reads the database count', async () => {
    const s = fresh()
    const counter = s.counter({ name: 'c', count: () => 7 })
    const r = await timed(counter.get('a'))
    expect(r.value).toBe(7)
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('session index: get reads the database', async () => {
    const s = fresh()
    const sessions = s.sessionIndex({
      load: () => ({ userId: 'u1', expiresAt: Date.now() + 60_000 }),
      expiresAt: (x) => x.expiresAt,
      userId: (x) => x.userId,
    })
    const r = await timed(sessions.get('token'))
    expect(r.value).toMatchObject({ userId: 'u1' })
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('rate limiter: the failure policy decides', async () => {
    const s = fresh()
    const limiter = s.rateLimiter({ name: 'rl', limit: 5, window: '1m' })
    const r = await timed(limiter.limit('ip:1'))
    expect(r.value).toMatchObject({ success: true, reason: 'timeout' })
    expect(r.ms).toBeLessThan(BOUND_MS)
  })

  it('health: reports degraded instead of waiting for the connection', async () => {
    const s = fresh()
    const r = await timed(s.health())
    expect(r.value).toMatchObject({ status: 'degraded', redis: { status: 'down' } })
    expect(r.ms).toBeLessThan(BOUND_MS)
  })
})
