import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { sleep } from '../helpers.js'
import { trackTimers } from './timers.js'

describe('locks without Redis by configuration (flag off, memory-only)', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel

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
  })

  const configs = {
    'locking flag off': () => createSatchel({ redis: server.url, flags: '-locking' }),
    'memory-only': () => createSatchel({}),
  }

  for (const [name, make] of Object.entries(configs)) {
    it(`${name}: in-process locks with the same semantics, nothing written to Redis`, async () => {
      satchel = make()
      const { locks } = satchel
      expect(locks.mode).toBe('local')
      const a = await locks.acquire('doc:1', { ttl: 400 })
      expect(a.mode).toBe('local')
      // Exclusive within the process.
      await expect(
        locks.acquire('doc:1', { retry: { attempts: 2, delay: 1 } }),
      ).rejects.toMatchObject({ code: 'E_LOCK_CONTENDED', attempts: 2 })
      // Other resources are independent.
      const other = await locks.acquire('doc:2')
      expect(other.fence).toBeGreaterThan(a.fence)
      await other.release()
      // Expiry and takeover: the old token can neither extend nor release the new lock.
      await sleep(450)
      expect(await a.extend()).toBe(false)
      const b = await locks.acquire('doc:1', { retry: false })
      expect(b.fence).toBeGreaterThan(a.fence)
      expect(await a.release()).toBe(false)
      expect(await locks.tryAcquire('doc:1')).toBeUndefined()
      expect(await b.extend('5s')).toBe(true)
      expect(await b.release()).toBe(true)
      // A waiter gets the lock when it is released; `using` works the same way.
      const c = await locks.acquire('doc:1')
      setTimeout(() => void c.release(), 30)
      const timers = trackTimers()
      const result = await locks.using(
        'doc:1',
        async (signal, lock) => {
          expect(lock.fence).toBeGreaterThan(c.fence)
          await sleep(200) // longer than the ttl: auto-extended
          expect(signal.aborted).toBe(false)
          expect(await locks.tryAcquire('doc:1')).toBeUndefined()
          return 'ok'
        },
        { ttl: 90, retry: { attempts: 50, delay: 5 } },
      )
      expect(result).toBe('ok')
      expect(await timers.pending()).toEqual([])
      timers.stop()
      expect(await locks.tryAcquire('doc:1')).toBeDefined()
      // Fences are on the Redis scale (µs since the epoch), so a database that keeps the highest
      // fence seen keeps accepting writes across a flag flip.
      expect(Math.abs(b.fence / 1000 - Date.now())).toBeLessThan(60_000)
      expect(await admin.dbsize()).toBe(0)
    })
  }

  it("whenDisabled: 'reject' → E_REDIS_UNAVAILABLE (memory-only), for flag off and memory-only", async () => {
    for (const s of [
      createSatchel({ redis: server.url, flags: '-locking', locks: { whenDisabled: 'reject' } }),
      createSatchel({ locks: { whenDisabled: 'reject' } }),
    ]) {
      satchel = s
      const error = await s.locks.acquire('doc:1').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
      expect((error as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('memory-only')
      await s.close()
    }
    expect(await admin.dbsize()).toBe(0)
  })
})
