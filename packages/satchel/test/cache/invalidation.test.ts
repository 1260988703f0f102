/**
 * Invalidation always wins: once `del`, `set`, `invalidateTags`, `delPattern` or `clear` has
 * resolved, no caller in this process that starts afterwards gets the older value, and no load
 * that began before it in any process writes the older value to Redis. Each read path (`get`,
 * `getOrSet`, `mget`, `wrap` and the helpers, SWR refresh, stampede waiters) in one process and
 * across processes, on a single Redis and on a Cluster.
 *
 * A change "while a read is in flight" is made deterministic with the `cache:read` event, which
 * fires when a value has come back from Redis and before the reader acts on it.
 */
import { Cluster, Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Cache, createSatchel, type Satchel, withCache } from '../../src/index.js'
import {
  type RedisCluster,
  type RedisServer,
  startRedis,
  startRedisCluster,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from '../../src/testing/index.js'
import { waitFor } from '../helpers.js'
import { preferReadOrLock } from './first-read-support.js'

const WORKER = new URL('./workers/invalidation-worker.ts', import.meta.url)
const PREFIX = 'inv'

interface Topology {
  readonly redis: NonNullable<Parameters<typeof createSatchel>[0]>['redis']
  readonly env: Record<string, string>
  raw(): Redis | Cluster
  stop(): Promise<void>
}

const topologies: [string, () => Promise<Topology>][] = [
  [
    'single Redis',
    async () => {
      const server: RedisServer = await startRedis()
      return {
        redis: server.url,
        env: { REDIS_URL: server.url },
        raw: () => new Redis(server.url),
        stop: () => server.stop(),
      }
    },
  ],
  [
    'Redis Cluster',
    async () => {
      const cluster: RedisCluster = await startRedisCluster({ masters: 3 })
      return {
        redis: { cluster: { nodes: cluster.startupNodes } },
        env: { REDIS_NODES: JSON.stringify(cluster.startupNodes) },
        raw: () => new Cluster(cluster.startupNodes),
        stop: () => cluster.stop(),
      }
    },
  ],
]

/** A factory that runs until `open(value)`; `started` resolves once it runs. */
function gated<T>(): { factory: () => Promise<T>; started: Promise<void>; open: (v: T) => void } {
  let open: (v: T) => void = () => {}
  let began: () => void = () => {}
  const started = new Promise<void>((r) => {
    began = r
  })
  const gate = new Promise<T>((r) => {
    open = r
  })
  return {
    factory: () => {
      began()
      return gate
    },
    started,
    open: (v) => open(v),
  }
}

const CHANGES = ['del', 'set', 'invalidateTags', 'delPattern', 'clear'] as const
type Change = (typeof CHANGES)[number]

/** Applies one kind of change to `key` of `cache` (tag `t:<key>`). */
function change(cache: Cache, kind: Change, key: string): Promise<unknown> {
  switch (kind) {
    case 'del':
      return cache.del(key)
    case 'set':
      return cache.set(key, 'explicit', { tags: [`t:${key}`] })
    case 'invalidateTags':
      return cache.invalidateTags([`t:${key}`])
    case 'delPattern':
      return cache.delPattern(`${key}*`)
    case 'clear':
      return cache.clear()
  }
}

for (const [name, start] of topologies) {
  describe(`invalidation always wins (${name})`, () => {
    let topology: Topology
    const opened: Satchel[] = []
    let n = 0
    const fresh = (label: string): string => `${label}-${++n}`
    const open = (cache: { bus?: boolean; lockTtl?: number } = {}): Satchel => {
      const s = createSatchel({
        redis: topology.redis,
        prefix: PREFIX,
        timeouts: { commandMs: 2000, connectMs: 5000 },
        breaker: { failureThreshold: 1000 },
        cache,
      })
      opened.push(s)
      return s
    }
    beforeAll(async () => {
      topology = await start()
    }, 60_000)
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close()
    })
    afterAll(async () => {
      await topology?.stop()
    })

    describe('in one process', () => {
      it('mget does not refill L1 with a value deleted while it read', async () => {
        const s = open({ bus: false })
        const key = s.keys.org('o').key(fresh('mget'))
        await s.cache.set(key, 'old', { l1: false })
        const reading = s.cache.mget([key])
        await s.cache.del(key)
        expect(await reading).toEqual(['old']) // asked before the delete
        expect(await s.cache.get(key)).toBeUndefined()
        expect(await s.cache.getOrSet(key, () => 'new')).toBe('new')
      })

      it('get does not refill L1 with a value deleted while it read', async () => {
        const s = open({ bus: false })
        const key = s.keys.org('o').key(fresh('get'))
        await s.cache.set(key, 'old', { l1: false })
        let deleting: Promise<number> | undefined
        s.events.on('cache:read', (e) => {
          if (e.key === key && deleting === undefined) deleting = s.cache.del(key)
        })
        expect(await s.cache.get(key)).toBe('old')
        await deleting
        expect(await s.cache.get(key)).toBeUndefined()
      })

      for (const kind of CHANGES) {
        it(`a getOrSet that starts after ${kind} does not join the load that began before it`, async () => {
          const s = open({ bus: false })
          // L1 off: what Redis and the load path answer, not an L1 copy the change replaced.
          const ns = s.cache.namespace(fresh('ns'), { l1: false })
          const key = fresh('k')
          const tags = [`t:${key}`]
          const load = gated<string>()
          const first = ns.getOrSet(key, load.factory, { tags })
          await load.started
          await change(ns, kind, key)
          const second = ns.getOrSet(key, () => 'new', { tags })
          load.open('old')
          expect(await first).toBe('old')
          const expected = kind === 'set' ? 'explicit' : 'new'
          expect(await second).toBe(expected)
          expect(await ns.get(key)).toBe(expected)
        })
      }

      // The same with the first read made by READ_OR_LOCK (misses common): the load takes its
      // lock in its first round trip. Untagged, the only calls that read that way.
      for (const kind of ['del', 'set', 'delPattern', 'clear'] as const) {
        it(`read-or-lock first read: a getOrSet that starts after ${kind} does not join the load that began before it`, async () => {
          const s = open({ bus: false })
          await preferReadOrLock(s, (i) => s.keys.org('o').key(fresh(`warm-${i}`)))
          const ns = s.cache.namespace(fresh('ns'), { l1: false })
          const key = fresh('k')
          const load = gated<string>()
          const first = ns.getOrSet(key, load.factory)
          await load.started
          await change(ns, kind, key)
          const second = ns.getOrSet(key, () => 'new')
          load.open('old')
          expect(await first).toBe('old')
          const expected = kind === 'set' ? 'explicit' : 'new'
          expect(await second).toBe(expected)
          expect(await ns.get(key)).toBe(expected)
          expect(s.stats().cache.firstRead?.mode).toBe('read-or-lock')
        })
      }

      it('wrap and withCache: a call after the change loads anew', async () => {
        const s = open({ bus: false })
        const ns = s.cache.namespace(fresh('ns'), { l1: false })
        const key = fresh('wrap')
        const load = gated<string>()
        const first = ns.wrap(key, load.factory)
        await load.started
        await ns.del(key)
        const second = ns.wrap(key, () => 'new')
        load.open('old')
        expect([await first, await second]).toEqual(['old', 'new'])

        const helperKey = fresh('helper')
        const helperLoad = gated<string>()
        let fn: () => Promise<string> = helperLoad.factory
        const read = withCache(ns, helperKey, () => fn(), { tags: ['course:1'] })
        const before = read()
        await helperLoad.started
        await ns.invalidateTags(['course:1'])
        fn = async () => 'new'
        const after = read()
        helperLoad.open('old')
        expect([await before, await after]).toEqual(['old', 'new'])
      })

      for (const mode of ['get', 'read-or-lock'] as const) {
        it(`a stampede waiter does not fill L1 with a value deleted while it read (first read: ${mode})`, async () => {
          const holder = open({ bus: false })
          const waiter = open({ bus: false })
          if (mode === 'read-or-lock') {
            await preferReadOrLock(holder, (i) => holder.keys.org('o').key(fresh(`warm-${i}`)))
            await preferReadOrLock(waiter, (i) => waiter.keys.org('o').key(fresh(`warm-${i}`)))
          }
          const key = holder.keys.org('o').key(fresh('waiter'))
          const load = gated<string>()
          const held = holder.cache.getOrSet(key, load.factory)
          await load.started
          const waiting = waiter.cache.getOrSet(key, () => 'unused')
          await waitFor(() => waiter.cache.stats().lockWaits > 0, 5000)
          let deleting: Promise<number> | undefined
          waiter.events.on('cache:read', (e) => {
            if (e.key === key && deleting === undefined) deleting = waiter.cache.del(key)
          })
          load.open('old')
          expect(await held).toBe('old')
          // The waiter asked before its delete: it may get the holder's value...
          expect(await waiting).toBe('old')
          await deleting
          expect(deleting).toBeDefined()
          // ...but nothing that starts after the delete does.
          expect(await waiter.cache.get(key)).toBeUndefined()
          expect(waiter.stats().cache.firstRead?.mode).toBe(mode)
        })
      }

      it('a refresh does not fill L1 with a value deleted while it re-read it', async () => {
        const s = open({ bus: false })
        const writer = open({ bus: false })
        const raw = topology.raw()
        try {
          const key = s.keys.org('o').key(fresh('refresh'))
          expect(await s.cache.getOrSet(key, () => 'v1', { ttl: '1m' })).toBe('v1')
          // Another instance stores a newer value; without a bus `s` keeps v1 in L1.
          await writer.cache.set(key, 'v2', { ttl: '1m' })
          let deleting: Promise<number> | undefined
          let lockHeld = false
          s.events.on('cache:read', (e) => {
            if (e.key !== key || deleting !== undefined) return
            lockHeld = true // the refresh reads again only once it holds the refresh lock
            deleting = s.cache.del(key)
          })
          // Eager refresh: the hit answers v1 from L1 and refreshes in the background, where the
          // refresh lock's re-read finds v2.
          expect(await s.cache.getOrSet(key, () => 'v3', { eagerRefresh: 0.000_01 })).toBe('v1')
          await waitFor(() => lockHeld, 5000)
          await deleting
          // The refresh ends by releasing its lock; then it has done all it will do.
          await waitFor(async () => {
            const keys = await scanLocks(raw)
            return keys.every((k) => k.endsWith(':fence'))
          }, 5000)
          await new Promise((r) => setTimeout(r, 20))
          expect(await s.cache.get(key)).toBeUndefined()
        } finally {
          raw.disconnect()
        }
      })

      it('tag stamps never move backwards (an older invalidation arriving late)', async () => {
        const s = open({ bus: false })
        const reader = open({ bus: false })
        const raw = topology.raw()
        try {
          const key = s.keys.org('o').key(fresh('stamp'))
          const tag = `late:${key}`
          const now = Date.now()
          // An invalidation already stamped one minute ahead, and an entry dated between.
          await raw.hset(`${PREFIX}:c:tags`, tag, String(now + 60_000))
          const entry = s.codec.encode([
            1,
            'old',
            now + 120_000,
            now + 120_000,
            now + 30_000,
            [tag],
          ])
          await raw.set(key, entry, 'PX', 120_000)
          expect(await reader.cache.get(key)).toBeUndefined()
          // A later invalidation must not pull the stamp back below the entry's date.
          await s.cache.invalidateTags([tag])
          expect(Number(await raw.hget(`${PREFIX}:c:tags`, tag))).toBeGreaterThan(now + 60_000)
          const late = open({ bus: false })
          expect(await late.cache.get(key)).toBeUndefined()
        } finally {
          raw.disconnect()
        }
      })

      it("tag stamps come from Redis's clock, not the caller's", async () => {
        const raw = topology.raw()
        const s = open({ bus: false })
        try {
          await s.connect()
          const tag = fresh('clock')
          vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 })
          try {
            await s.cache.invalidateTags([tag])
          } finally {
            vi.useRealTimers()
          }
          const stamp = Number(await raw.hget(`${PREFIX}:c:tags`, tag))
          expect(Math.abs(stamp - Date.now())).toBeLessThan(60_000)
        } finally {
          raw.disconnect()
        }
      })

      it('without a bus, mget re-reads the stamps of tags it already knows', async () => {
        const a = open({ bus: false })
        const b = open({ bus: false })
        const name = fresh('ns')
        const nsA = a.cache.namespace(name, { l1: false })
        const nsB = b.cache.namespace(name, { l1: false })
        const key = fresh('tagged')
        await nsA.set(key, 'old', { tags: ['course:7'] })
        expect(await nsA.mget([key])).toEqual(['old']) // `a` now knows course:7's stamp
        await nsB.invalidateTags(['course:7'])
        expect(await nsA.mget([key])).toEqual([undefined])
      })
    })

    describe('across processes', () => {
      let workers: WorkerProcess[]
      let loader: WorkerProcess
      let other: WorkerProcess
      beforeAll(async () => {
        // The loader has no bus: only Redis can stop its store.
        workers = await Promise.all([
          startWorkers(1, WORKER, { env: { ...topology.env, PREFIX, BUS: 'off' } }),
          startWorkers(1, WORKER, { env: { ...topology.env, PREFIX } }),
        ]).then((groups) => groups.flat())
        ;[loader, other] = workers as [WorkerProcess, WorkerProcess]
        await Promise.all(workers.map((w) => w.call('ready')))
      }, 60_000)
      afterAll(async () => {
        if (workers) await stopWorkers(workers)
      })

      const key = (label: string): string => `${PREFIX}:o:x:${fresh(label)}`
      const invoke = (w: WorkerProcess, kind: Change, k: string): Promise<unknown> => {
        switch (kind) {
          case 'del':
            return w.call('del', { key: k })
          case 'set':
            return w.call('set', { key: k, value: 'explicit' })
          case 'invalidateTags':
            return w.call('invalidateTags', { tags: [`t:${k}`] })
          case 'delPattern':
            return w.call('delPattern', { pattern: `${k}*` })
          case 'clear':
            return w.call('clear')
        }
      }

      for (const kind of CHANGES) {
        it(`a load that began before another process's ${kind} does not store its older value`, async () => {
          const k = key(kind)
          const tags = [`t:${k}`]
          await loader.call('startLoad', { key: k, value: 'old', tags })
          await invoke(other, kind, k)
          expect(await loader.call('finishLoad', { key: k })).toBe('old')
          const expected = kind === 'set' ? 'explicit' : undefined
          // The invalidating process, and a process that never saw the key, read the change.
          expect(await other.call('get', { key: k })).toBe(expected)
          expect(await other.call('mget', { keys: [k] })).toEqual([expected])
          const reader = open({ bus: false })
          expect(await reader.cache.get(k)).toBe(expected)
          expect(await other.call('getOrSet', { key: k, value: 'new', tags })).toBe(
            expected ?? 'new',
          )
        })
      }

      for (const kind of ['del', 'set'] as const) {
        it(`read-or-lock first read: a load that began before another process's ${kind} does not store its older value`, async () => {
          await Promise.all(
            [loader, other].map(async (w) => {
              expect(await w.call('preferReadOrLock')).toBe('read-or-lock')
            }),
          )
          const k = key(`rol-${kind}`)
          await loader.call('startLoad', { key: k, value: 'old' })
          await invoke(other, kind, k)
          expect(await loader.call('finishLoad', { key: k })).toBe('old')
          const expected = kind === 'set' ? 'explicit' : undefined
          const reader = open({ bus: false })
          expect(await reader.cache.get(k)).toBe(expected)
          expect(await other.call('getOrSet', { key: k, value: 'new' })).toBe(expected ?? 'new')
          expect(await loader.call('firstReadMode')).toBe('read-or-lock')
        })
      }

      it('a stampede waiter in another process loads anew after a delete, not the older value', async () => {
        const k = key('waiter')
        await loader.call('startLoad', { key: k, value: 'old' })
        const waiting = other.call('getOrSet', { key: k, value: 'fresh' })
        const deleter = open({ bus: false })
        await waitFor(async () => (await other.call<number>('lockWaits')) > 0, 5000)
        await deleter.cache.del(k)
        expect(await loader.call('finishLoad', { key: k })).toBe('old')
        expect(await waiting).toBe('fresh')
        expect(await deleter.cache.get(k)).toBe('fresh')
      })
    })
  })
}

/** Refresh-lock keys (`<prefix>:c:lock:...`) present now. */
async function scanLocks(raw: Redis | Cluster): Promise<string[]> {
  const nodes = raw instanceof Cluster ? raw.nodes('master') : [raw]
  const out: string[] = []
  for (const node of nodes) out.push(...(await node.keys(`${PREFIX}:c:lock:*`)))
  return out
}
