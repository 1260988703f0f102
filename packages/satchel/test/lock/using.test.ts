import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { lockTarget } from '../../src/lock/keys.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { sleep } from '../helpers.js'
import { scriptCalls } from './commandstats.js'
import { trackTimers } from './timers.js'

const PREFIX = 'ut'

/** Resolves with the signal's reason once it aborts; rejects if that takes longer than `ms`. */
function aborted(signal: AbortSignal, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(signal.reason)
    const timer = setTimeout(() => reject(new Error(`signal not aborted within ${ms} ms`)), ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve(signal.reason)
    })
  })
}

describe('locks.using', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel
  let other: Satchel
  let timers: ReturnType<typeof trackTimers> | undefined

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    timers?.stop()
    timers = undefined
    await server.resume()
    await satchel?.close()
    await other?.close()
  })

  async function open(options: Parameters<typeof createSatchel>[0] = {}): Promise<Satchel> {
    const s = createSatchel({
      redis: server.url,
      prefix: PREFIX,
      // Generous for a loaded machine; the outage test sets its own.
      timeouts: { commandMs: 250 },
      breaker: { failureThreshold: 1000 },
      ...options,
    })
    await s.connect()
    return s
  }

  it('keeps the lock through a critical section longer than its ttl, then releases it', async () => {
    satchel = await open()
    other = await open()
    timers = trackTimers()
    const key = lockTarget(PREFIX, 'u:long').key
    let probes = 0
    let stolen = 0
    const result = await satchel.locks.using(
      'u:long',
      async (signal, lock) => {
        // Over three TTLs long; another owner tries all along and never gets it.
        const until = Date.now() + 1000
        while (Date.now() < until) {
          const intruder = await other.locks.tryAcquire('u:long', { ttl: 1000 })
          probes++
          if (intruder) stolen++
          expect(await admin.get(key)).toBe(lock.token)
          await sleep(20)
        }
        expect(signal.aborted).toBe(false)
        return 'done'
      },
      { ttl: 300 },
    )
    expect(result).toBe('done')
    expect(probes).toBeGreaterThan(10)
    expect(stolen).toBe(0)
    expect(await admin.exists(key)).toBe(0)
    expect(await timers.pending()).toEqual([])
  })

  it('aborts the signal with E_LOCK_LOST when the lock is taken over, and leaves the new owner alone', async () => {
    satchel = await open()
    timers = trackTimers()
    const key = lockTarget(PREFIX, 'u:stolen').key
    const lost: string[] = []
    satchel.events.on('lock:lost', ({ resource }) => lost.push(resource))
    const outcome = satchel.locks.using(
      'u:stolen',
      async (signal) => {
        await admin.set(key, 'thief', 'PX', 5000)
        throw await aborted(signal, 2000)
      },
      { ttl: 150 },
    )
    const error = await outcome.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.E_LOCK_LOST)
    expect((error as InstanceType<typeof errors.E_LOCK_LOST>).code).toBe('E_LOCK_LOST')
    expect(await admin.get(key)).toBe('thief')
    expect(lost).toEqual(['u:stolen'])
    expect(satchel.locks.stats().lost).toBe(1)
    expect(await timers.pending()).toEqual([])
  })

  it('aborts with E_LOCK_LOST when the key disappears, and never re-creates it', async () => {
    satchel = await open()
    timers = trackTimers()
    const key = lockTarget(PREFIX, 'u:deleted').key
    const error = await satchel.locks
      .using(
        'u:deleted',
        async (signal) => {
          await admin.del(key)
          throw await aborted(signal, 2000)
        },
        { ttl: 150 },
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.E_LOCK_LOST)
    expect(await admin.exists(key)).toBe(0)
    expect(await timers.pending()).toEqual([])
  })

  it('rides out a brief outage, but aborts once Redis stays down until the lock expires', async () => {
    satchel = await open({ timeouts: { commandMs: 50 } })
    timers = trackTimers()
    // A pause shorter than the remaining ttl, over the second renewal (at 400 ms): that extension
    // times out, is retried, and succeeds after the resume.
    const key = lockTarget(PREFIX, 'u:outage').key
    await satchel.locks.using(
      'u:outage',
      async (signal, lock) => {
        await sleep(300)
        await server.pause()
        await sleep(200)
        await server.resume()
        await sleep(400)
        expect(signal.aborted).toBe(false)
        expect(await admin.get(key)).toBe(lock.token)
      },
      { ttl: 600 },
    )
    // An extension did time out during the pause, and was ridden out.
    expect(satchel.stats().redis.timeouts).toBeGreaterThanOrEqual(1)
    expect(satchel.locks.stats().lost).toBe(0)

    // A pause past the expiry: the signal aborts with E_LOCK_LOST caused by the outage, no
    // earlier than the lock's own expiry.
    let expiresAt = 0
    let abortedAt = 0
    const error = await satchel.locks
      .using(
        'u:outage',
        async (signal, lock) => {
          expiresAt = lock.expiresAt
          await server.pause()
          const reason = await aborted(signal, 3000)
          abortedAt = Date.now()
          await server.resume()
          throw reason
        },
        { ttl: 300 },
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.E_LOCK_LOST)
    expect((error as Error).cause).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect(abortedAt).toBeGreaterThanOrEqual(expiresAt)
    expect(await timers.pending()).toEqual([])
  })

  it('without autoExtend, aborts with E_LOCK_LOST at the expiry and never extends', async () => {
    satchel = await open()
    timers = trackTimers()
    const before = await scriptCalls(admin)
    let during = 0
    const error = await satchel.locks
      .using(
        'u:no-extend',
        async (signal) => {
          const reason = await aborted(signal, 2000)
          during = await scriptCalls(admin)
          throw reason
        },
        { ttl: 100, autoExtend: false },
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.E_LOCK_LOST)
    // The acquire was the only script run while fn waited: no extension.
    expect(during - before).toBe(1)
    expect(await admin.exists(lockTarget(PREFIX, 'u:no-extend').key)).toBe(0)
    expect(await timers.pending()).toEqual([])
  })

  it("returns fn's result, passes its error through, releases either way", async () => {
    satchel = await open()
    other = await open()
    timers = trackTimers()
    const key = lockTarget(PREFIX, 'u:result').key
    let fence = 0
    expect(
      await satchel.locks.using('u:result', (_signal, lock) => {
        fence = lock.fence
        return 42
      }),
    ).toBe(42)
    expect(await admin.exists(key)).toBe(0)

    const boom = new Error('boom')
    await expect(
      satchel.locks.using('u:result', async () => {
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await admin.exists(key)).toBe(0)
    // A contended `using` never runs fn.
    const holder = await other.locks.acquire('u:result')
    expect(holder.fence).toBeGreaterThan(fence)
    let ran = false
    await expect(
      satchel.locks.using(
        'u:result',
        () => {
          ran = true
        },
        { retry: false },
      ),
    ).rejects.toBeInstanceOf(errors.E_LOCK_CONTENDED)
    expect(ran).toBe(false)
    await holder.release()
    expect(await timers.pending()).toEqual([])
  })

  it("forwards the caller's signal to fn's signal", async () => {
    satchel = await open()
    timers = trackTimers()
    const controller = new AbortController()
    const reason = new Error('request closed')
    const error = await satchel.locks
      .using(
        'u:outer',
        async (signal) => {
          setTimeout(() => controller.abort(reason), 20)
          throw await aborted(signal, 2000)
        },
        { signal: controller.signal },
      )
      .catch((e: unknown) => e)
    expect(error).toBe(reason)
    expect(await admin.exists(lockTarget(PREFIX, 'u:outer').key)).toBe(0)
    expect(await timers.pending()).toEqual([])
  })
})
