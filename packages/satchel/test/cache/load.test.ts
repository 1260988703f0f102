import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { sleep, waitFor } from '../helpers.js'

describe('getOrSet: stampede, stale-while-revalidate, fail-safe, timeouts', () => {
  let server: RedisServer
  const opened: Satchel[] = []
  const open = (cache: Parameters<typeof createSatchel>[0] = {}): Satchel => {
    const s = createSatchel({
      redis: server.url,
      prefix: 'ld',
      timeouts: { commandMs: 500, connectMs: 2000 },
      ...cache,
    })
    opened.push(s)
    return s
  }
  let n = 0
  const freshKey = (s: Satchel) => s.keys.org('o').key('k', ++n)

  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
  })

  for (const lock of ['local', 'distributed'] as const) {
    it(`1,000 concurrent getOrSet on one cold key call the factory once (lock: ${lock})`, async () => {
      const s = open()
      const key = freshKey(s)
      let calls = 0
      const factory = async () => {
        calls++
        await sleep(20)
        return 'v'
      }
      const values = await Promise.all(
        Array.from({ length: 1000 }, () => s.cache.getOrSet(key, factory, { lock })),
      )
      expect(values.every((v) => v === 'v')).toBe(true)
      expect(calls).toBe(1)
      expect(s.cache.stats().factoryCalls).toBe(1)
    })
  }

  it('two satchel instances sharing a Redis call the factory once (distributed lock)', async () => {
    const a = open()
    const b = open()
    const key = freshKey(a)
    let calls = 0
    const factory = async () => {
      calls++
      await sleep(50)
      return calls
    }
    const values = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).cache.getOrSet(key, factory)),
    )
    expect(new Set(values)).toEqual(new Set([1]))
    expect(calls).toBe(1)
    expect(a.cache.stats().lockWaits + b.cache.stats().lockWaits).toBeGreaterThan(0)
  })

  it('a lock holder that dies mid-factory is taken over after the lock TTL', async () => {
    const a = open({ cache: { lockTtl: 300 } })
    const b = open({ cache: { lockTtl: 300 } })
    const key = freshKey(a)
    let bCalls = 0
    let started!: () => void
    const holding = new Promise<void>((r) => {
      started = r
    })
    void a.cache
      .getOrSet(key, () => {
        started()
        return new Promise<string>(() => {}) // never settles: the holder hangs, then dies
      })
      .catch(() => {})
    await holding
    const waiting = b.cache.getOrSet(key, () => {
      bCalls++
      return 'from-b'
    })
    await sleep(100)
    // While the holder lives (it keeps extending), nobody else loads.
    expect(bCalls).toBe(0)
    const t0 = performance.now()
    await a.close({ deadlineMs: 50 }) // stops the keep-alive; the lock is left to expire
    expect(await waiting).toBe('from-b')
    expect(bCalls).toBe(1)
    expect(performance.now() - t0).toBeLessThan(300 + 400)
  })

  it('stale within grace is served at once and refreshed exactly once in the background', async () => {
    const s = open()
    const key = freshKey(s)
    let calls = 0
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const factory = async () => {
      calls++
      if (calls > 1) await gate
      return calls
    }
    const opts = { ttl: 50, grace: 10_000, jitter: 0 }
    expect(await s.cache.getOrSet(key, factory, opts)).toBe(1)
    await sleep(70)
    // The refresh cannot finish before `release()`, so 100 answers of 1 arriving here prove the
    // stale value is served without waiting for it (ordering, not a clock on a busy machine).
    const stale = await Promise.all(
      Array.from({ length: 100 }, () => s.cache.getOrSet(key, factory, opts)),
    )
    expect(new Set(stale)).toEqual(new Set([1]))
    await waitFor(() => calls === 2, 1000)
    await sleep(30)
    expect(calls).toBe(2)
    release()
    await waitFor(async () => (await s.cache.getOrSet(key, factory, opts)) === 2, 1000)
    expect(calls).toBe(2)
    const stats = s.cache.stats()
    expect(stats.staleServed).toBeGreaterThanOrEqual(1)
    expect(stats.refreshes).toBe(1)
  })

  it('stale-while-revalidate across two instances refreshes once', async () => {
    const a = open()
    const b = open()
    const key = freshKey(a)
    let calls = 0
    const factory = async () => {
      calls++
      await sleep(50)
      return calls
    }
    const opts = { ttl: 50, grace: 10_000, jitter: 0 }
    await a.cache.getOrSet(key, factory, opts)
    expect(await b.cache.getOrSet(key, factory, opts)).toBe(1)
    await sleep(70)
    const served = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).cache.getOrSet(key, factory, opts)),
    )
    expect(new Set(served)).toEqual(new Set([1]))
    await waitFor(async () => (await b.cache.get(key)) === 2, 1000)
    expect(calls).toBe(2)
  })

  it('fail-safe: a failing factory within grace returns stale; outside grace E_FACTORY_ERROR', async () => {
    const s = open()
    const key = freshKey(s)
    const boom = new Error('db down')
    await s.cache.set(key, 'old', { ttl: 30, grace: 200, jitter: 0 })
    await sleep(50)
    // Soft timeout set: the refresh runs in the foreground and its failure falls back to stale.
    const opts = { ttl: 30, grace: 200, jitter: 0, timeout: { soft: 1000 } }
    expect(
      await s.cache.getOrSet(
        key,
        () => {
          throw boom
        },
        opts,
      ),
    ).toBe('old')
    expect(s.cache.stats().factoryErrors).toBe(1)
    await sleep(250)
    const error = await s.cache
      .getOrSet(key, () => Promise.reject(boom), opts)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_FACTORY_ERROR', cause: boom })
    // Never cached: the next call runs the factory.
    expect(await s.cache.getOrSet(key, () => 'new', opts)).toBe('new')
  })

  it('soft timeout: a slow factory yields the stale value, then stores its result', async () => {
    const s = open()
    const key = freshKey(s)
    await s.cache.set(key, 'old', { ttl: 20, grace: 10_000, jitter: 0 })
    await sleep(40)
    const v = await s.cache.getOrSet(
      key,
      async () => {
        await sleep(150)
        return 'new'
      },
      { timeout: { soft: 30 } },
    )
    // The factory takes 150 ms: 'old' means the call returned at the soft timeout, not after it.
    expect(v).toBe('old')
    await waitFor(async () => (await s.cache.get(key, { l1: false })) === 'new', 1000)
    // A fast factory beats the soft timeout: the fresh value comes back.
    await s.cache.set(key, 'old', { ttl: 20, grace: 10_000, jitter: 0 })
    await sleep(40)
    expect(await s.cache.getOrSet(key, () => 'fast', { timeout: { soft: 200 } })).toBe('fast')
  })

  it('hard timeout: E_FACTORY_TIMEOUT without stale; the signal is aborted', async () => {
    const s = open()
    const key = freshKey(s)
    let signal: AbortSignal | undefined
    const error = await s.cache
      .getOrSet(
        key,
        (ctx) => {
          signal = ctx.signal
          return new Promise(() => {})
        },
        { timeout: { hard: 50 } },
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_FACTORY_TIMEOUT' })
    expect(signal?.aborted).toBe(true)
    expect(s.cache.stats().factoryTimeouts).toBe(1)
    // With a stale value at hand, the hard timeout serves it.
    await s.cache.set(key, 'old', { ttl: 20, grace: 10_000, jitter: 0 })
    await sleep(40)
    const v = await s.cache.getOrSet(key, () => new Promise<string>(() => {}), {
      timeout: { soft: 1000, hard: 50 },
    })
    expect(v).toBe('old')
  })

  it('a lock holder that hits its hard timeout releases the key to other instances', async () => {
    const a = open()
    const b = open()
    await Promise.all([a.connect(), b.connect()])
    const key = freshKey(a)
    const first = a.cache
      .getOrSet(key, () => new Promise<string>(() => {}), { timeout: { hard: 50 } })
      .catch((e: unknown) => e)
    // `a` must hold the stampede lock before `b` asks (on a busy machine 10 ms is not enough
    // for its GET and lock round trips, and `b` would simply win the lock).
    // The lock is a marker written into the key itself.
    await waitFor(async () => (await a.redis.client!.exists(key)) === 1, 2000)
    const t0 = performance.now()
    expect(await b.cache.getOrSet(key, () => 'b')).toBe('b')
    // Woken well before the 5 s lock TTL would have freed the key.
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(await first).toMatchObject({ code: 'E_FACTORY_TIMEOUT' })
  })

  it('shouldCache false and ctx.skip() return the value without storing it', async () => {
    const s = open()
    const key = freshKey(s)
    let calls = 0
    const v1 = await s.cache.getOrSet(key, () => ({ ok: false, n: ++calls }), {
      shouldCache: (v) => v.ok,
    })
    expect(v1).toEqual({ ok: false, n: 1 })
    expect(await s.cache.get(key)).toBeUndefined()
    const v2 = await s.cache.getOrSet(key, (ctx) => {
      ctx.skip()
      return ++calls
    })
    expect(v2).toBe(2)
    expect(await s.cache.exists(key)).toBe(false)
    expect(await s.cache.getOrSet(key, () => ++calls)).toBe(3)
    expect(await s.cache.getOrSet(key, () => ++calls)).toBe(3)
  })

  it('setTtl and setTags from the factory apply to the stored entry', async () => {
    const s = open()
    const key = freshKey(s)
    await s.cache.getOrSet(
      key,
      (ctx) => {
        ctx.setTtl('1h')
        ctx.setTags(['dyn'])
        return 'v'
      },
      { ttl: 1000, jitter: 0 },
    )
    expect(await s.cache.ttl(key)).toBeGreaterThan(3_500_000)
    await s.cache.invalidateTags(['dyn'])
    expect(await s.cache.get(key)).toBeUndefined()
  })

  it("setTtl's grace replaces the namespace grace: a negative result is not kept a day", async () => {
    const s = open()
    const key = freshKey(s)
    const missing = await s.cache.getOrSet(
      key,
      (ctx) => {
        ctx.setTtl('1m', { grace: 0 })
        return null
      },
      { ttl: '30m', grace: '1d', jitter: 0 },
    )
    expect(missing).toBeNull()
    expect(await s.cache.get(key)).toBeNull()
    // Redis keeps an entry for ttl + grace: one minute here, not a day and a half hour.
    const raw = new Redis(server.url)
    try {
      const [full] = await raw.keys(`*${key}`)
      const left = await raw.pttl(full ?? '')
      expect(left).toBeGreaterThan(0)
      expect(left).toBeLessThanOrEqual(60_000)
    } finally {
      raw.disconnect()
    }
    await expect(
      s.cache.getOrSet(freshKey(s), (ctx) => {
        ctx.setTtl('1m', { grace: -1 })
        return 1
      }),
    ).rejects.toMatchObject({ code: 'E_FACTORY_ERROR', cause: { code: 'E_INVALID_OPTION' } })
  })

  it('eager refresh: a hit after the fraction of ttl refreshes once in the background', async () => {
    const s = open()
    const key = freshKey(s)
    let calls = 0
    const opts = { ttl: 200, jitter: 0, eagerRefresh: 0.5 }
    expect(await s.cache.getOrSet(key, () => ++calls, opts)).toBe(1)
    expect(await s.cache.getOrSet(key, () => ++calls, opts)).toBe(1)
    expect(calls).toBe(1)
    await sleep(120)
    const hits = await Promise.all(
      Array.from({ length: 20 }, () => s.cache.getOrSet(key, () => ++calls, opts)),
    )
    expect(new Set(hits)).toEqual(new Set([1]))
    await waitFor(async () => (await s.cache.getOrSet(key, () => ++calls, opts)) === 2, 1000)
    expect(calls).toBe(2)
  })

  it('jitter spreads the PTTLs of keys written together', async () => {
    const s = open()
    const keys = Array.from({ length: 200 }, (_, i) => s.keys.org('jit').key(i))
    await Promise.all(keys.map((k) => s.cache.set(k, 1, { ttl: 100_000, jitter: 0.1 })))
    const pttls = await s.redis.exec('pttl', (r) => Promise.all(keys.map((k) => r.pttl(k))))
    const min = Math.min(...pttls)
    const max = Math.max(...pttls)
    expect(min).toBeGreaterThanOrEqual(90_000 - 1000)
    expect(max).toBeLessThanOrEqual(110_000)
    expect(max - min).toBeGreaterThan(10_000)
    expect(new Set(pttls.map((p) => Math.round(p / 1000))).size).toBeGreaterThan(10)
  })

  it('a malformed or wrong-typed L2 payload is a miss: the factory runs, nothing throws', async () => {
    const s = open()
    const k1 = freshKey(s)
    const k2 = freshKey(s)
    const k3 = freshKey(s)
    await s.redis.exec('set', (r) => r.set(k1, '{"not":"an envelope"}'))
    await s.redis.exec('hset', (r) => r.hset(k2, 'f', 'v'))
    await s.redis.exec('set', (r) => r.set(k3, s.codec.encode({ looks: 'like a value' })))
    const malformed: string[] = []
    s.events.on('value:malformed', ({ key }) => malformed.push(key))
    expect(await s.cache.getOrSet(k1, () => 'one')).toBe('one')
    expect(await s.cache.getOrSet(k2, () => 'two')).toBe('two')
    expect(await s.cache.getOrSet(k3, () => 'three')).toBe('three')
    expect(await s.cache.get(k2, { l1: false })).toBe('two')
    expect([...new Set(malformed)]).toEqual([k1, k3])
    expect(await s.cache.mget([k1, k2, k3])).toEqual(['one', 'two', 'three'])
  })

  it('a value that is not stored leaves nothing in Redis once getOrSet has answered', async () => {
    const s = open()
    const key = freshKey(s)
    const raw = new Redis(server.url)
    try {
      const value = await s.cache.getOrSet(key, async () => [], {
        lock: 'distributed',
        shouldCache: (v: unknown[]) => v.length > 0,
      })
      expect(value).toEqual([])
      // The load's marker in the key is gone by the time the caller has the value.
      expect(await raw.keys(`*${key}`)).toEqual([])
      expect(await s.cache.exists(key)).toBe(false)
    } finally {
      raw.disconnect()
    }
  })
})
