/**
 * The first-read policy: while misses are common, an untagged `getOrSet` under the distributed
 * lock reads with READ_OR_LOCK (read, and lock if absent, in one round trip), so a miss is two
 * round trips instead of three; once hits dominate again it reads with a plain GET.
 */
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FirstRead } from '../../src/cache/first-read.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { FUNCTIONAL_COMMAND_MS, sleep, useRedis } from '../helpers.js'
import { preferReadOrLock } from './first-read-support.js'

describe('FirstRead policy', () => {
  it('switches to read-or-lock after a run of misses and back after a run of hits', () => {
    const policy = new FirstRead()
    expect(policy.stats().mode).toBe('get')
    let misses = 0
    while (!policy.lockFirst) {
      policy.record(true)
      misses++
    }
    // About ten misses from a cold start, not one: a single miss does not change the mode.
    expect(misses).toBeGreaterThan(5)
    expect(misses).toBeLessThan(20)
    let hits = 0
    while (policy.lockFirst) {
      policy.record(false)
      hits++
    }
    expect(hits).toBeGreaterThan(20)
    expect(policy.stats().mode).toBe('get')
  })

  it('does not flip back and forth on a miss share between the two thresholds', () => {
    const policy = new FirstRead()
    // One miss in five: above the 1/8 that leaves read-or-lock, below the 1/4 that enters it.
    for (let i = 0; i < 2000; i++) policy.record(i % 5 === 0)
    expect(policy.lockFirst).toBe(false)
    for (let i = 0; i < 200; i++) policy.record(true)
    expect(policy.lockFirst).toBe(true)
    let flips = 0
    let last = policy.lockFirst
    for (let i = 0; i < 2000; i++) {
      policy.record(i % 5 === 0)
      if (policy.lockFirst !== last) flips++
      last = policy.lockFirst
    }
    expect(flips).toBe(0)
  })
})

describe('first read on a real server', () => {
  const server = useRedis()
  let admin: Redis
  const opened: Satchel[] = []
  let n = 0
  const open = (): Satchel => {
    const s = createSatchel({
      redis: server.url,
      prefix: 'fr',
      timeouts: { commandMs: FUNCTIONAL_COMMAND_MS },
      cache: { bus: false },
    })
    opened.push(s)
    return s
  }
  const fresh = (s: Satchel, label: string): string => s.keys.org('o').key(label, ++n)

  /**
   * The commands clients sent to the server while `run` ran, in order (`MONITOR`; commands a
   * script runs are left out, so each entry is one command on the wire).
   */
  async function sent(run: () => Promise<unknown>): Promise<string[]> {
    const monitor = await admin.monitor()
    const marker = `end-of-run-${++n}`
    const seen: string[] = []
    let ended: () => void = () => {}
    const end = new Promise<void>((resolve) => {
      ended = resolve
    })
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const command = (args[0] ?? '').toLowerCase()
      if (command === 'echo' && args[1] === marker) ended()
      else if (source !== 'lua') seen.push(command)
    })
    try {
      await run()
      await admin.echo(marker)
      await end
    } finally {
      monitor.disconnect()
    }
    return seen
  }

  beforeAll(() => {
    admin = new Redis(server.url)
  })
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
  })
  afterAll(() => {
    admin.disconnect()
  })

  it('a cold start reads with GET; after a run of misses a miss is READ_OR_LOCK + the write', async () => {
    const s = open()
    // Loads the scripts, so no NOSCRIPT retry shows up below.
    expect(await s.cache.getOrSet(fresh(s, 'scripts'), () => 'v')).toBe('v')
    expect(s.stats().cache.firstRead?.mode).toBe('get')
    const cold = await sent(() => s.cache.getOrSet(fresh(s, 'cold'), () => 'v'))
    // GET, READ_OR_LOCK, the compare-and-set write.
    expect(cold).toEqual(['get', 'evalsha', 'evalsha'])

    await preferReadOrLock(s, (i) => fresh(s, `warm-${i}`))
    const key = fresh(s, 'miss')
    const warm = await sent(async () => {
      expect(await s.cache.getOrSet(key, () => 'loaded', { l1: false })).toBe('loaded')
    })
    expect(warm).toEqual(['evalsha', 'evalsha'])
    // Stored where every process reads it.
    const other = open()
    expect(await other.cache.get(key)).toBe('loaded')
  })

  it('in read-or-lock mode a hit is served, fills L1 and counts as a hit; hits bring GET back', async () => {
    const s = open()
    const writer = open()
    await preferReadOrLock(s, (i) => fresh(s, `warm-${i}`))
    const key = fresh(s, 'hit')
    await writer.cache.set(key, 'stored')
    const before = s.stats()
    let ran = 0
    const hit = await sent(async () => {
      expect(await s.cache.getOrSet(key, () => `factory ${++ran}`)).toBe('stored')
    })
    expect(hit).toEqual(['evalsha'])
    expect(ran).toBe(0)
    expect(s.stats().l2.hits).toBe(before.l2.hits + 1)
    // Filled L1: the next call is an L1 hit, no Redis command at all.
    expect(await sent(() => s.cache.getOrSet(key, () => 'unused'))).toEqual([])
    expect(s.stats().l1.hits).toBe(before.l1.hits + 1)

    // A run of hits (L1 off, so each reaches Redis) returns to GET.
    const keys = Array.from({ length: 8 }, (_, i) => fresh(s, `h-${i}`))
    for (const k of keys) await writer.cache.set(k, k)
    let reads = 0
    while (s.stats().cache.firstRead?.mode === 'read-or-lock') {
      const k = keys[reads++ % keys.length]!
      expect(await s.cache.getOrSet(k, () => 'unused', { l1: false })).toBe(k)
      expect(reads).toBeLessThan(500)
    }
    const back = await sent(async () => {
      expect(await s.cache.getOrSet(keys[0]!, () => 'unused', { l1: false })).toBe(keys[0])
    })
    expect(back).toEqual(['get'])
  })

  it('in read-or-lock mode a stale value within grace is served at once and refreshed once', async () => {
    const s = open()
    await preferReadOrLock(s, (i) => fresh(s, `warm-${i}`))
    const key = fresh(s, 'stale')
    expect(await s.cache.getOrSet(key, () => 'v1', { ttl: 50, grace: '1m', l1: false })).toBe('v1')
    await sleep(80) // past the 50 ms ttl, within grace
    let refreshed = 0
    const refresh = async (): Promise<string> => {
      refreshed++
      return 'v2'
    }
    const options = { ttl: '1m', grace: '1m', l1: false } as const
    expect(await s.cache.getOrSet(key, refresh, options)).toBe('v1')
    expect(s.stats().stale).toBe(1)
    await expect.poll(() => s.cache.get(key, { l1: false }), { timeout: 5000 }).toBe('v2')
    expect(refreshed).toBe(1)
  })

  it('in read-or-lock mode two instances racing on a cold key run the factory once', async () => {
    const a = open()
    const b = open()
    await preferReadOrLock(a, (i) => fresh(a, `warm-a-${i}`))
    await preferReadOrLock(b, (i) => fresh(b, `warm-b-${i}`))
    const key = fresh(a, 'race')
    let calls = 0
    const factory = async (): Promise<string> => {
      calls++
      await sleep(50)
      return 'once'
    }
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => a.cache.getOrSet(key, factory)),
      ...Array.from({ length: 20 }, () => b.cache.getOrSet(key, factory)),
    ])
    expect(new Set(results)).toEqual(new Set(['once']))
    expect(calls).toBe(1)
  })

  it('with Redis gone, a read-or-lock first read degrades like a GET: the factory answers', async () => {
    const s = open()
    await preferReadOrLock(s, (i) => fresh(s, `warm-${i}`))
    const key = fresh(s, 'down')
    await server.pause()
    try {
      expect(await s.cache.getOrSet(key, () => 'from factory')).toBe('from factory')
    } finally {
      await server.resume()
    }
    expect(s.stats().redis.timeouts).toBeGreaterThan(0)
    // Counted like a failed GET: the cache absorbed a Redis error.
    expect(s.cache.stats().redisErrors).toBe(1)
    expect(s.cache.stats().misses).toBeGreaterThan(10)
  })
})
