import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { lockTarget } from '../../src/lock/keys.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { timed, waitFor } from '../helpers.js'

const COMMAND_MS = 50
// The contract: a call against a hung server settles within commandMs + 20 ms.
const BOUND_MS = COMMAND_MS + 20
const PREFIX = 'ft'
const RETRY = { attempts: 5, delay: 30, jitter: 10 }

describe('locks: contention is not an outage', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel
  let other: Satchel

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
    admin.on('error', () => {})
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    await server.resume()
    await satchel?.close({ deadlineMs: 100 })
    await other?.close({ deadlineMs: 100 })
    if (server.state === 'exited') {
      await server.restart()
      admin.disconnect()
      admin = new Redis(server.url)
      admin.on('error', () => {})
    }
  })

  async function open(): Promise<Satchel> {
    const s = createSatchel({
      redis: server.url,
      prefix: PREFIX,
      timeouts: { commandMs: COMMAND_MS, connectMs: 500 },
      breaker: { failureThreshold: 1000 },
      reconnect: { baseMs: 20, capMs: 100 },
    })
    await s.connect()
    return s
  }

  it('contended → E_LOCK_CONTENDED after the configured attempts', async () => {
    satchel = await open()
    other = await open()
    const holder = await other.locks.acquire('f:contended', { ttl: '10s' })
    const error = await satchel.locks.acquire('f:contended', { retry: RETRY }).catch((e) => e)
    expect(error).toBeInstanceOf(errors.E_LOCK_CONTENDED)
    expect(error).not.toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect(error.attempts).toBe(5)
    await holder.release()
  })

  it('paused (SIGSTOP) → E_REDIS_UNAVAILABLE within commandMs + 20 ms, not retried', async () => {
    satchel = await open()
    await server.pause()
    const r = await timed(satchel.locks.acquire('f:paused', { ttl: '10s', retry: RETRY }))
    expect(r.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect((r.error as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('timeout')
    // One attempt: an outage ends the acquire instead of being retried 5 times.
    expect(r.ms).toBeLessThan(BOUND_MS)
    expect(satchel.stats().redis.timeouts).toBe(1)
    expect(satchel.locks.stats().unavailable).toBe(1)

    // The timed-out acquire still reached the server's socket and takes the lock on resume;
    // the token-safe release sent after it frees it at once instead of after the 10 s ttl.
    await server.resume()
    const key = lockTarget(PREFIX, 'f:paused').key
    await waitFor(async () => (await admin.exists(key)) === 0, 2000)
    const lock = await satchel.locks.acquire('f:paused', { retry: false })
    expect(await lock.release()).toBe(true)
  })

  it('paused while waiting on a held lock → E_REDIS_UNAVAILABLE within one retry delay plus commandMs + 20 ms', async () => {
    satchel = await open()
    other = await open()
    const holder = await other.locks.acquire('f:wait-then-pause', { ttl: '10s' })
    const waiting = timed(
      satchel.locks.acquire('f:wait-then-pause', {
        retry: { attempts: Number.POSITIVE_INFINITY, delay: 30, jitter: 10 },
      }),
    )
    await new Promise((r) => setTimeout(r, 100))
    const pausedAt = performance.now()
    await server.pause()
    const r = await waiting
    expect(r.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect(performance.now() - pausedAt).toBeLessThan(30 + 10 + BOUND_MS)
    await server.resume()
    expect(await holder.release()).toBe(true)
  })

  it('release and extend against a paused server → E_REDIS_UNAVAILABLE within commandMs + 20 ms', async () => {
    satchel = await open()
    const lock = await satchel.locks.acquire('f:ops', { ttl: '10s' })
    await server.pause()
    const extended = await timed(lock.extend())
    const released = await timed(lock.release())
    for (const r of [extended, released]) {
      expect(r.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
      expect(r.ms).toBeLessThan(BOUND_MS)
    }
    await server.resume()
    // Both commands reached the server's socket and run on resume (the release last), so the
    // lock is gone; retrying the release is safe (token-checked) and answers false.
    const key = lockTarget(PREFIX, 'f:ops').key
    await waitFor(async () => (await admin.exists(key)) === 0, 2000)
    expect(await lock.release()).toBe(false)
  })

  it('killed → E_REDIS_UNAVAILABLE (and never E_LOCK_CONTENDED)', async () => {
    satchel = await open()
    await server.kill()
    for (let i = 0; i < 3; i++) {
      const error = await satchel.locks.acquire('f:killed', { retry: RETRY }).catch((e) => e)
      expect(error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
      expect(error.code).toBe('E_REDIS_UNAVAILABLE')
    }
    expect(satchel.locks.stats()).toMatchObject({ unavailable: 3, contended: 0, acquired: 0 })
  })
})
