/**
 * The caches compared by `bench/cache.ts`, each behind one small interface so every scenario
 * drives them the same way. Each contender is configured the way its documentation recommends
 * for a two-tier (memory + Redis) setup, with its fastest in-process option where there is one.
 */
import {
  type CacheEntry,
  type Cache as CachifiedCache,
  cachified,
  totalTtl,
} from '@epic-web/cachified'
import KeyvRedis from '@keyv/redis'
import { BentoCache, bentostore } from 'bentocache'
import { memoryDriver } from 'bentocache/drivers/memory'
import { redisDriver } from 'bentocache/drivers/redis'
import { createCache as createCacheManager } from 'cache-manager'
import { Redis } from 'ioredis'
import { Keyv } from 'keyv'
import { LRUCache } from 'lru-cache'
import { createSatchel, type Satchel } from '../src/index.js'

/** Product names, as printed in the tables. */
export const PRODUCTS = ['satchel', 'bentocache', 'cache-manager', 'cachified'] as const
export type Product = (typeof PRODUCTS)[number]

/** `tiered`: memory + Redis. `l2-only`: Redis only (scenario 2). */
export type Mode = 'tiered' | 'l2-only'

/** Satchel's per-command bound in the benchmark (scenario 5's target is this + 10 ms). */
export const COMMAND_MS = 50

const TTL_MS = 600_000

/** One cache under test. */
export interface Contender {
  readonly product: Product
  /** Builds a key; each product keeps its own key style (satchel's is organisation/global scoped). */
  key(...parts: (string | number)[]): string
  getOrSet<T>(key: string, factory: () => Promise<T>, tags?: readonly string[]): Promise<T>
  set(key: string, value: unknown, tags?: readonly string[]): Promise<void>
  /**
   * Counters that explain an outlier (satchel: Redis timeouts and breaker refusals, which make a
   * miss load without the stampede lock by design). Undefined for the peers.
   */
  diagnostics?: () => Record<string, number>
  /** Undefined when the product has no tags. */
  invalidateTag?: (tag: string) => Promise<void>
  close(): Promise<void>
}

/** Creates the contender for `product` against the Redis at `url`. */
export async function createContender(
  product: Product,
  url: string,
  mode: Mode,
): Promise<Contender> {
  switch (product) {
    case 'satchel':
      return satchelContender(url, mode)
    case 'bentocache':
      return bentoContender(url, mode)
    case 'cache-manager':
      return cacheManagerContender(url, mode)
    case 'cachified':
      return cachifiedContender(url, mode)
  }
}

async function satchelContender(url: string, mode: Mode): Promise<Contender> {
  const satchel: Satchel = createSatchel({
    redis: url,
    prefix: 'bench',
    timeouts: { connectMs: 2000, commandMs: COMMAND_MS },
    cache: { ttl: TTL_MS, grace: 0, l1Limits: { maxEntries: 200_000 } },
  })
  await satchel.connect()
  const cache = satchel.cache
  const l1 = mode === 'tiered'
  return {
    product: 'satchel',
    key: (...parts) => satchel.keys.global('bench', ...parts),
    getOrSet: (key, factory, tags) => cache.getOrSet(key, factory, { l1, ttl: TTL_MS, tags }),
    set: (key, value, tags) => cache.set(key, value, { l1, ttl: TTL_MS, tags }),
    invalidateTag: (tag) => cache.invalidateTags([tag]),
    diagnostics: () => {
      const redis = satchel.stats().redis
      return {
        redisTimeouts: redis.timeouts,
        redisFailures: redis.failures,
        shortCircuited: redis.shortCircuited,
      }
    },
    close: () => satchel.close({ deadlineMs: 200 }),
  }
}

async function bentoContender(url: string, mode: Mode): Promise<Contender> {
  const redis = new Redis(url)
  const store = bentostore()
  // serialize: false is BentoCache's fastest L1 (objects kept as is), matching satchel's L1.
  if (mode === 'tiered') store.useL1Layer(memoryDriver({ maxItems: 200_000, serialize: false }))
  store.useL2Layer(redisDriver({ connection: redis }))
  const bento = new BentoCache({ default: 'cache', stores: { cache: store }, ttl: TTL_MS })
  return {
    product: 'bentocache',
    key: (...parts) => parts.join(':'),
    getOrSet: (key, factory, tags) =>
      bento.getOrSet({ key, factory, ...(tags ? { tags: [...tags] } : {}) }),
    set: async (key, value, tags) => {
      await bento.set({ key, value, ...(tags ? { tags: [...tags] } : {}) })
    },
    invalidateTag: async (tag) => {
      await bento.deleteByTag({ tags: [tag] })
    },
    close: async () => {
      await bento.disconnectAll()
      redis.disconnect()
    },
  }
}

async function cacheManagerContender(url: string, mode: Mode): Promise<Contender> {
  const redisStore = new KeyvRedis(url)
  const stores = [new Keyv({ store: redisStore })]
  // cache-manager 7's documented memory tier is Keyv's in-memory (Map) store in front.
  if (mode === 'tiered') stores.unshift(new Keyv({ store: new Map() }))
  const cache = createCacheManager({ stores, ttl: TTL_MS })
  return {
    product: 'cache-manager',
    key: (...parts) => parts.join(':'),
    getOrSet: (key, factory) => cache.wrap(key, factory, TTL_MS),
    set: async (key, value) => {
      await cache.set(key, value, TTL_MS)
    },
    close: async () => {
      await cache.disconnect()
    },
  }
}

/** cachified's README adapter for lru-cache. */
function lruAdapter(): CachifiedCache {
  const lru = new LRUCache<string, CacheEntry>({ max: 200_000 })
  return {
    name: 'lru',
    set(key, value) {
      const ttl = totalTtl(value?.metadata)
      return lru.set(key, value, {
        ttl: ttl === Infinity ? undefined : ttl,
        start: value?.metadata?.createdTime,
      })
    },
    get: (key) => lru.get(key),
    delete: (key) => lru.delete(key),
  }
}

/**
 * A Redis adapter over ioredis in the shape of `cachified-redis-adapter` (which targets node-redis):
 * the entry as JSON, expiring with the entry's total TTL.
 */
function redisAdapter(redis: Redis): CachifiedCache {
  return {
    name: 'redis',
    async get(key) {
      const raw = await redis.get(key)
      return raw === null ? null : (JSON.parse(raw) as CacheEntry)
    },
    async set(key, value) {
      const ttl = totalTtl(value?.metadata)
      const raw = JSON.stringify(value)
      if (ttl === Infinity) await redis.set(key, raw)
      else await redis.set(key, raw, 'PX', Math.max(1, Math.ceil(ttl)))
    },
    async delete(key) {
      await redis.del(key)
    },
  }
}

async function cachifiedContender(url: string, mode: Mode): Promise<Contender> {
  const redis = new Redis(url)
  const l2 = redisAdapter(redis)
  const l1 = lruAdapter()
  // cachified has one cache per call; two tiers are the documented composition: the memory
  // call's fresh value comes from the Redis call.
  const fromRedis = <T>(key: string, factory: () => Promise<T>): Promise<T> =>
    cachified<T>({ key, cache: l2, ttl: TTL_MS, getFreshValue: factory })
  return {
    product: 'cachified',
    key: (...parts) => parts.join(':'),
    getOrSet: (key, factory) =>
      mode === 'tiered'
        ? cachified({ key, cache: l1, ttl: TTL_MS, getFreshValue: () => fromRedis(key, factory) })
        : fromRedis(key, factory),
    set: async (key, value) => {
      await cachified({
        key,
        cache: mode === 'tiered' ? l1 : l2,
        ttl: TTL_MS,
        forceFresh: true,
        getFreshValue: () => value,
      })
    },
    close: async () => {
      redis.disconnect()
    },
  }
}
