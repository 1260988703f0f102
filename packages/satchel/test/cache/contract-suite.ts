/**
 * The cache contract, run against every backend (memory-only, one Redis, a Redis Cluster):
 * what a caller may rely on whichever backend satchel runs over.
 */
import { Cluster, type Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { escapeGlob, type Satchel } from '../../src/index.js'
import { cacheBusReady, sleep, waitFor } from '../helpers.js'

/** A backend under test: a satchel factory and, with Redis, the raw client to inspect L2. */
export interface ContractBackend {
  make(overrides?: Parameters<typeof import('../../src/index.js').createSatchel>[0]): Satchel
  stop(): Promise<void>
}

/** Every key matching `pattern` on every master (SCAN; test-side inspection). */
async function rawKeys(satchel: Satchel, pattern: string): Promise<string[]> {
  const client = satchel.redis.client
  if (!client) return []
  const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client]
  const out: string[] = []
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
      cursor = next
      out.push(...keys)
    } while (cursor !== '0')
  }
  return out.sort()
}

export function cacheContractSuite(name: string, start: () => Promise<ContractBackend>): void {
  describe(`cache contract: ${name}`, () => {
    let backend: ContractBackend
    let satchel: Satchel
    const opened: Satchel[] = []
    /**
     * A satchel whose cache bus (with Redis) is subscribed: the first subscription drops L1, and
     * the L1 assertions below must not race it.
     */
    const open = async (o?: Parameters<ContractBackend['make']>[0]): Promise<Satchel> => {
      const s = backend.make(o)
      opened.push(s)
      await cacheBusReady(s)
      return s
    }

    beforeAll(async () => {
      backend = await start()
    })
    afterAll(async () => {
      await backend?.stop()
    })
    afterEach(async () => {
      await satchel?.cache.clear()
      for (const s of opened.splice(0)) await s.close()
    })
    const redisBacked = () => satchel.redis.enabled
    const key = (...parts: (string | number)[]) => satchel.keys.org('org-1').key(...parts)

    it('get/set/del/exists round-trip values of any codec type', async () => {
      satchel = await open()
      const c = satchel.cache
      expect(await c.get(key('a'))).toBeUndefined()
      const value = { at: new Date(5), ids: new Set([1, 2]), n: 1n, nested: [{ x: null }] }
      await c.set(key('a'), value)
      expect(await c.get(key('a'))).toEqual(value)
      if (redisBacked()) expect(await c.get(key('a'), { l1: false })).toEqual(value)
      expect(await c.exists(key('a'))).toBe(true)
      expect(await c.exists(key('b'))).toBe(false)
      expect(await c.del(key('a'), key('b'))).toBe(1)
      expect(await c.get(key('a'))).toBeUndefined()
      expect(await c.exists(key('a'))).toBe(false)
      expect(await c.del()).toBe(0)
    })

    it('ttl reports remaining fresh time; -2 when missing; entries expire', async () => {
      satchel = await open()
      const c = satchel.cache
      expect(await c.ttl(key('t'))).toBe(-2)
      await c.set(key('t'), 1, { ttl: 10_000, jitter: 0 })
      const ttl = await c.ttl(key('t'))
      expect(ttl).toBeGreaterThan(9_000)
      expect(ttl).toBeLessThanOrEqual(10_000)
      await c.set(key('short'), 1, { ttl: 60, jitter: 0 })
      expect(await c.get(key('short'))).toBe(1)
      await sleep(90)
      expect(await c.get(key('short'))).toBeUndefined()
      expect(await c.ttl(key('short'))).toBe(-2)
    })

    it('stores L2 entries with PX = fresh (jittered) + grace', async () => {
      satchel = await open()
      if (!redisBacked()) return
      await satchel.cache.set(key('px'), 'v', { ttl: 10_000, grace: 5_000, jitter: 0.1 })
      const pttl = await satchel.redis.exec('pttl', (r) => r.pttl(key('px')))
      expect(pttl).toBeGreaterThan(9_000 + 5_000 - 200)
      expect(pttl).toBeLessThanOrEqual(11_000 + 5_000)
    })

    it('L1 never outlives L2: an L1 copy disappears when the L2 entry expires', async () => {
      satchel = await open()
      const c = satchel.cache
      let calls = 0
      const load = () => c.getOrSet(key('l1'), () => ++calls, { ttl: 80, grace: 0, jitter: 0 })
      expect(await load()).toBe(1)
      expect(await load()).toBe(1)
      expect(c.stats().hits.l1).toBe(1)
      await sleep(110)
      if (redisBacked()) {
        expect(await satchel.redis.exec('exists', (r) => r.exists(key('l1')))).toBe(0)
      }
      expect(await load()).toBe(2)
      expect(calls).toBe(2)
    })

    it('l1: false bypasses the in-process tier, per call and per namespace', async () => {
      satchel = await open()
      const c = satchel.cache
      await c.set(key('nol1'), 'v', { l1: false })
      expect(c.stats().l1.entries).toBe(0)
      if (redisBacked()) {
        expect(await c.get(key('nol1'), { l1: false })).toBe('v')
        expect(c.stats().hits.l2).toBe(1)
        expect(c.stats().l1.entries).toBe(0)
        const ns = c.namespace('remote', { l1: false })
        let calls = 0
        expect(await ns.getOrSet('k', () => ++calls)).toBe(1)
        expect(await ns.getOrSet('k', () => ++calls)).toBe(1)
        expect(ns.stats().hits).toEqual({ l1: 0, l2: 1 })
        expect(ns.stats().l1.entries).toBe(0)
      } else {
        // Memory-only with L1 off stores nothing anywhere.
        expect(await c.get(key('nol1'), { l1: false })).toBeUndefined()
      }
    })

    it('incr counts atomically and expires; expire shortens an entry', async () => {
      satchel = await open()
      const c = satchel.cache
      expect(await c.incr(key('n'))).toBe(1)
      expect(await c.incr(key('n'), 5)).toBe(6)
      const results = await Promise.all(Array.from({ length: 50 }, () => c.incr(key('n'))))
      expect(Math.max(...(results as number[]))).toBe(56)
      expect(await c.incr(key('n2'), 1, { ttl: 60 })).toBe(1)
      await sleep(90)
      expect(await c.incr(key('n2'))).toBe(1)

      await c.set(key('e'), 'v', { ttl: 60_000 })
      expect(await c.expire(key('e'), 60)).toBe(true)
      expect(await c.ttl(key('e'))).toBeLessThanOrEqual(60)
      await sleep(90)
      expect(await c.get(key('e'))).toBeUndefined()
      expect(await c.expire(key('missing'), 1000)).toBe(false)
    })

    it('mget/mset: L1 first, then L2, across slots', async () => {
      satchel = await open()
      const c = satchel.cache
      const keys = Array.from({ length: 40 }, (_, i) => key('m', i))
      await c.mset(keys.slice(0, 30).map((k, i) => ({ key: k, value: { i } })))
      const got = await c.mget<{ i: number }>([...keys, keys[0]!])
      expect(got.slice(0, 30)).toEqual(keys.slice(0, 30).map((_, i) => ({ i })))
      expect(got.slice(30, 40)).toEqual(Array(10).fill(undefined))
      expect(got[40]).toEqual({ i: 0 })
      if (redisBacked()) {
        // A second instance has an empty L1: everything comes from L2.
        const other = await open()
        const remote = await other.cache.mget<{ i: number }>(keys)
        expect(remote.slice(0, 30)).toEqual(keys.slice(0, 30).map((_, i) => ({ i })))
        expect(other.cache.stats().hits.l2).toBe(30)
        expect(other.cache.stats().misses).toBe(10)
      }
    })

    it('getOrSet loads once, caches, and never caches an error', async () => {
      satchel = await open()
      const c = satchel.cache
      let calls = 0
      const factory = async () => {
        calls++
        return { v: calls }
      }
      expect(await c.getOrSet(key('g'), factory)).toEqual({ v: 1 })
      expect(await c.wrap(key('g'), factory)).toEqual({ v: 1 })
      expect(calls).toBe(1)
      await expect(
        c.getOrSet(key('err'), () => {
          throw new Error('db down')
        }),
      ).rejects.toMatchObject({ code: 'E_FACTORY_ERROR', cause: { message: 'db down' } })
      expect(await c.getOrSet(key('err'), () => 'ok')).toBe('ok')
    })

    it('namespaces store under <prefix>:ns:<name>: and clear only themselves', async () => {
      satchel = await open()
      const c = satchel.cache
      const a = c.namespace('bundles')
      const nested = a.namespace('v2')
      const b = c.namespace('bund')
      await a.set('x', 1)
      await nested.set('x', 2)
      await b.set('x', 3)
      await c.set(key('root'), 4)
      expect(await a.get('x')).toBe(1)
      expect(await nested.get('x')).toBe(2)
      if (redisBacked()) {
        expect(await rawKeys(satchel, `${satchel.keys.prefix}:ns:*`)).toEqual(
          [
            `${satchel.keys.prefix}:ns:bund:x`,
            `${satchel.keys.prefix}:ns:bundles:ns:v2:x`,
            `${satchel.keys.prefix}:ns:bundles:x`,
          ].sort(),
        )
      }
      expect(await a.clear()).toBe(redisBacked() ? 2 : 2)
      expect(await a.get('x')).toBeUndefined()
      expect(await nested.get('x')).toBeUndefined()
      expect(await b.get('x')).toBe(3)
      expect(await c.get(key('root'))).toBe(4)
      expect(a.stats().namespace).toBe('bundles')
      expect(nested.stats().namespace).toBe('bundles/v2')
    })

    it('root clear() removes every cache family and leaves other primitives alone', async () => {
      satchel = await open()
      const c = satchel.cache
      const p = satchel.keys.prefix
      await c.set(key('o'), 1)
      await c.set(satchel.keys.global('g'), 2)
      await c.namespace('n').set('k', 3)
      if (redisBacked()) await satchel.redis.exec('set', (r) => r.set(`${p}:rl:keep`, 'x'))
      const removed = await c.clear()
      expect(removed).toBe(redisBacked() ? 3 : 3)
      expect(await c.get(key('o'))).toBeUndefined()
      expect(await c.get(satchel.keys.global('g'))).toBeUndefined()
      expect(await c.namespace('n').get('k')).toBeUndefined()
      if (redisBacked()) {
        expect(await satchel.redis.exec('get', (r) => r.get(`${p}:rl:keep`))).toBe('x')
        await satchel.redis.exec('del', (r) => r.del(`${p}:rl:keep`))
      }
    })

    it('delPattern removes exactly the matching keys; glob characters in input are escaped', async () => {
      satchel = await open()
      const c = satchel.cache
      const org = satchel.keys.org('org-9')
      await c.mset(Array.from({ length: 30 }, (_, i) => ({ key: org.key('report', i), value: i })))
      await c.set(org.key('other', 1), 'keep')
      await c.set(satchel.keys.org('org-10').key('report', 1), 'keep')
      expect(await c.delPattern(org.pattern('report'))).toBe(30)
      expect(await c.get(org.key('report', 3))).toBeUndefined()
      expect(await c.get(org.key('other', 1))).toBe('keep')
      expect(await c.get(satchel.keys.org('org-10').key('report', 1))).toBe('keep')

      // A raw key whose text contains glob characters: escaped input matches only itself.
      const ns = c.namespace('raw')
      await ns.set('a*', 1)
      await ns.set('ab', 2)
      await ns.set('a?', 3)
      expect(await ns.delPattern(escapeGlob('a*'))).toBe(1)
      expect(await ns.get('ab')).toBe(2)
      expect(await ns.get('a?')).toBe(3)
      expect(await ns.delPattern('a?')).toBe(2)
    })

    it('set, del and clear on one instance evict the L1 copies of another (bus)', async () => {
      satchel = await open()
      if (!redisBacked()) return
      const other = await open()
      const ns = satchel.cache.namespace('shared')
      const remote = other.cache.namespace('shared')
      await ns.set('a', 1)
      await ns.set('b', 1)
      await satchel.cache.set(key('c'), 1)
      // Load into the other instance's L1.
      expect(await remote.get('a')).toBe(1)
      expect(await remote.get('b')).toBe(1)
      expect(await other.cache.get(key('c'))).toBe(1)
      await ns.set('a', 2)
      await waitFor(async () => (await remote.get('a')) === 2, 2000)
      await satchel.cache.del(key('c'))
      await waitFor(async () => (await other.cache.get(key('c'))) === undefined, 2000)
      await ns.clear()
      await waitFor(async () => (await remote.get('b')) === undefined, 2000)
    })

    it('invalidateTags makes every tagged entry a miss, also on another instance', async () => {
      satchel = await open()
      const c = satchel.cache
      let calls = 0
      const load = (s: Satchel, k: string, tags: string[]) =>
        s.cache.getOrSet(k, () => ++calls, { tags })
      await load(satchel, key('t1'), ['course:1'])
      await load(satchel, key('t2'), ['course:1', 'org:1'])
      await load(satchel, key('t3'), ['course:2'])
      await c.set(key('t4'), 'x', { tags: ['course:1'] })
      expect(calls).toBe(3)
      await c.invalidateTags(['course:1'])
      expect(await c.get(key('t4'))).toBeUndefined()
      expect(await load(satchel, key('t1'), ['course:1'])).toBe(4)
      expect(await load(satchel, key('t2'), ['course:1', 'org:1'])).toBe(5)
      expect(await load(satchel, key('t3'), ['course:2'])).toBe(3)
      // Written right after the invalidation: valid.
      await c.set(key('t5'), 'y', { tags: ['course:1'] })
      expect(await c.get(key('t5'))).toBe('y')
      if (redisBacked()) {
        // Another instance (its own L1) sees the invalidation through L2's stamps...
        const other = await open()
        const remote = (k: string) =>
          other.cache.getOrSet(k, () => ++calls, { tags: ['course:1'], l1: false })
        expect(await remote(key('t1'))).toBe(4)
        expect(await other.cache.get(key('t2'))).toBe(5)
        await c.invalidateTags(['course:1'])
        expect(await remote(key('t1'))).toBe(6)
        // ...and its L1 copies become misses once the bus delivers the `tags` message.
        await waitFor(async () => (await other.cache.get(key('t2'))) === undefined, 2000)
      }
    })
  })
}
