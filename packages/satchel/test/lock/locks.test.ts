import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { lockTarget } from '../../src/lock/keys.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { timed, waitFor } from '../helpers.js'
import { scriptCalls } from './commandstats.js'
import { trackTimers } from './timers.js'

const PREFIX = 'lt'

describe('satchel.locks against a real server', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel
  let other: Satchel

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    await satchel?.close()
    await other?.close()
  })

  function open(options: Parameters<typeof createSatchel>[0] = {}): Satchel {
    return createSatchel({
      redis: server.url,
      prefix: PREFIX,
      timeouts: { commandMs: 500 },
      ...options,
    })
  }

  it('acquires with a token and a fence, and releases', async () => {
    satchel = open()
    const lock = await satchel.locks.acquire('r:basic', { ttl: '2s' })
    const key = lockTarget(PREFIX, 'r:basic').key
    expect(lock.mode).toBe('redis')
    expect(lock.resource).toBe('r:basic')
    expect(await admin.get(key)).toBe(lock.token)
    const pttl = await admin.pttl(key)
    expect(pttl).toBeGreaterThan(1500)
    expect(pttl).toBeLessThanOrEqual(2000)
    expect(lock.expiresAt).toBeLessThanOrEqual(Date.now() + 2000)
    expect(Number.isSafeInteger(lock.fence)).toBe(true)
    expect(JSON.stringify(lock)).not.toContain(lock.token)
    expect(await lock.release()).toBe(true)
    expect(await admin.exists(key)).toBe(0)
    expect(await lock.release()).toBe(false)
    expect(satchel.locks.stats().acquired).toBe(1)
  })

  it('release and extend with a wrong token change nothing and return false', async () => {
    satchel = open()
    const mine = await satchel.locks.acquire('r:token', { ttl: '5s' })
    const key = lockTarget(PREFIX, 'r:token').key
    // Another owner's token is now in the key (as after a takeover).
    await admin.set(key, 'someone-else', 'PX', 3000)
    const pttlBefore = await admin.pttl(key)
    expect(await mine.extend('60s')).toBe(false)
    expect(await admin.get(key)).toBe('someone-else')
    const pttlAfterExtend = await admin.pttl(key)
    expect(pttlAfterExtend).toBeLessThanOrEqual(pttlBefore)
    expect(pttlAfterExtend).toBeGreaterThan(2000)
    expect(await mine.release()).toBe(false)
    expect(await admin.get(key)).toBe('someone-else')
    expect(await admin.pttl(key)).toBeLessThanOrEqual(pttlAfterExtend)

    // Fresh handle, same check on release first.
    await admin.del(key)
    const second = await satchel.locks.acquire('r:token', { ttl: '5s' })
    await admin.set(key, 'intruder', 'PX', 3000)
    expect(await second.release()).toBe(false)
    expect(await admin.get(key)).toBe('intruder')
  })

  it('extends a held lock; extending an expired lock fails and never re-creates it', async () => {
    satchel = open()
    const key = lockTarget(PREFIX, 'r:extend').key
    const lock = await satchel.locks.acquire('r:extend', { ttl: 1000 })
    const before = lock.expiresAt
    expect(await lock.extend('3s')).toBe(true)
    expect(await admin.pttl(key)).toBeGreaterThan(2000)
    expect(lock.expiresAt).toBeGreaterThan(before)

    const short = await satchel.locks.acquire('r:expire', { ttl: 50 })
    const shortKey = lockTarget(PREFIX, 'r:expire').key
    await new Promise((r) => setTimeout(r, 120))
    expect(await admin.exists(shortKey)).toBe(0)
    expect(await short.extend('5s')).toBe(false)
    expect(await admin.exists(shortKey)).toBe(0)
    expect(await lock.release()).toBe(true)
    expect(await admin.exists(key)).toBe(0)
  })

  it('fences strictly increase across expiry and takeover; the old holder cannot release the new lock', async () => {
    satchel = open()
    other = open()
    const key = lockTarget(PREFIX, 'r:fence').key
    const a = await satchel.locks.acquire('r:fence', { ttl: 300 })
    await expect(
      other.locks.acquire('r:fence', { ttl: '5s', retry: { attempts: 1 } }),
    ).rejects.toBeInstanceOf(errors.E_LOCK_CONTENDED)
    await new Promise((r) => setTimeout(r, 350))
    const b = await other.locks.acquire('r:fence', { ttl: '5s', retry: { attempts: 1 } })
    expect(b.fence).toBeGreaterThan(a.fence)
    expect(await a.release()).toBe(false)
    expect(await a.extend()).toBe(false)
    expect(await admin.get(key)).toBe(b.token)
    expect(await b.release()).toBe(true)

    // A run of acquisitions: every fence above the previous one.
    let last = b.fence
    for (let i = 0; i < 50; i++) {
      const lock = await satchel.locks.acquire('r:fence')
      expect(lock.fence).toBeGreaterThan(last)
      last = lock.fence
      await lock.release()
    }
  })

  it('fences keep increasing when the fence key is lost and when Redis restarts without persistence', async () => {
    satchel = open({ breaker: { failureThreshold: 1000 } })
    const target = lockTarget(PREFIX, 'r:reset')
    const first = await satchel.locks.acquire('r:reset')
    await first.release()
    expect(Number(await admin.get(target.fenceKey))).toBe(first.fence)
    // The fence key has a (long) TTL, refreshed on each acquire.
    expect(await admin.pttl(target.fenceKey)).toBeGreaterThan(29 * 86_400_000)

    await admin.del(target.fenceKey)
    const afterLoss = await satchel.locks.acquire('r:reset')
    expect(afterLoss.fence).toBeGreaterThan(first.fence)
    await afterLoss.release()

    // A clock stepping back cannot lower a fence while the stored value exists.
    await admin.set(target.fenceKey, String(afterLoss.fence + 1_000_000_000))
    const ahead = await satchel.locks.acquire('r:reset')
    expect(ahead.fence).toBe(afterLoss.fence + 1_000_000_001)
    await ahead.release()
    await admin.del(target.fenceKey)

    const beforeRestart = await satchel.locks.acquire('r:reset')
    await beforeRestart.release()
    admin.disconnect()
    await server.restart()
    admin = new Redis(server.url)
    expect(await admin.exists(target.fenceKey)).toBe(0)
    await waitFor(async () => (await satchel.health()).status === 'healthy', 5000)
    const afterRestart = await satchel.locks.acquire('r:reset')
    expect(afterRestart.fence).toBeGreaterThan(beforeRestart.fence)
    await afterRestart.release()
  })

  it('contended: gives up with E_LOCK_CONTENDED after exactly the configured attempts', async () => {
    satchel = open()
    other = open()
    const holder = await other.locks.acquire('r:contended', { ttl: '10s' })
    const events: number[] = []
    satchel.events.on('lock:contended', ({ attempts }) => events.push(attempts))
    const callsBefore = await scriptCalls(admin)
    const r = await timed(
      satchel.locks.acquire('r:contended', { retry: { attempts: 4, delay: 20, jitter: 10 } }),
    )
    const callsAfter = await scriptCalls(admin)
    expect(r.error).toBeInstanceOf(errors.E_LOCK_CONTENDED)
    expect((r.error as InstanceType<typeof errors.E_LOCK_CONTENDED>).attempts).toBe(4)
    expect((r.error as InstanceType<typeof errors.E_LOCK_CONTENDED>).code).toBe('E_LOCK_CONTENDED')
    // Four tries, three waits of 20-30 ms between them.
    expect(callsAfter - callsBefore).toBe(4)
    expect(r.ms).toBeGreaterThanOrEqual(60)
    expect(events).toEqual([4])
    expect(satchel.locks.stats().contended).toBe(1)
    // `retries` is the same policy counted differently; `retry: false` and tryAcquire try once.
    const c0 = await scriptCalls(admin)
    await expect(
      satchel.locks.acquire('r:contended', { retry: { retries: 2, delay: 1 } }),
    ).rejects.toMatchObject({ code: 'E_LOCK_CONTENDED', attempts: 3 })
    await expect(satchel.locks.acquire('r:contended', { retry: false })).rejects.toMatchObject({
      attempts: 1,
    })
    expect(await satchel.locks.tryAcquire('r:contended')).toBeUndefined()
    expect((await scriptCalls(admin)) - c0).toBe(5)
    await holder.release()
    const free = await satchel.locks.tryAcquire('r:contended')
    expect(free?.fence).toBeGreaterThan(holder.fence)
    await free?.release()
  })

  it('waits for a lock that is released while it retries', async () => {
    satchel = open()
    other = open()
    const holder = await other.locks.acquire('r:wait', { ttl: '10s' })
    setTimeout(() => void holder.release(), 80)
    const lock = await satchel.locks.acquire('r:wait', {
      retry: { attempts: Number.POSITIVE_INFINITY, delay: 10, jitter: 10 },
    })
    expect(lock.fence).toBeGreaterThan(holder.fence)
    await lock.release()
  })

  it('an AbortSignal cancels a waiting acquire at once and leaves no timer behind', async () => {
    satchel = open()
    other = open()
    const holder = await other.locks.acquire('r:abort', { ttl: '10s' })
    await satchel.connect()
    const timers = trackTimers()
    const controller = new AbortController()
    const waiting = timed(
      satchel.locks.acquire('r:abort', {
        retry: { attempts: Number.POSITIVE_INFINITY, delay: '10s', jitter: 0 },
        signal: controller.signal,
      }),
    )
    await new Promise((r) => setTimeout(r, 50))
    const abortedAt = performance.now()
    controller.abort(new Error('user went away'))
    const r = await waiting
    // Rejected with the signal's reason, long before the 10 s retry delay would have ended.
    expect((r.error as Error).message).toBe('user went away')
    expect(performance.now() - abortedAt).toBeLessThan(1000)
    expect(await timers.pending()).toEqual([])
    timers.stop()

    // An already-aborted signal rejects without asking Redis.
    const c0 = await scriptCalls(admin)
    await expect(
      satchel.locks.acquire('r:abort', { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(await scriptCalls(admin)).toBe(c0)
    expect(await admin.get(lockTarget(PREFIX, 'r:abort').key)).toBe(holder.token)
    await holder.release()
  })

  it('rejects invalid options with E_INVALID_OPTION naming the field', async () => {
    satchel = open()
    await expect(satchel.locks.acquire('r', { ttl: 0 })).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
      field: 'ttl',
    })
    await expect(
      satchel.locks.acquire('r', { retry: { attempts: 2, retries: 5 } }),
    ).rejects.toMatchObject({ field: 'retry.attempts' })
    await expect(satchel.locks.acquire('r', { retry: { attempts: 0 } })).rejects.toMatchObject({
      field: 'retry.attempts',
    })
    expect(() => createSatchel({ locks: { ttl: 'soon' } }).locks).toThrow(
      expect.objectContaining({ field: 'locks.ttl' }),
    )
  })
})
