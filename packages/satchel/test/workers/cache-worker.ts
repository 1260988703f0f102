/**
 * A process using `satchel.cache` through its public API only, driven by the multi-process
 * cache tests (stampede, crashed lock holder, bus propagation, stale-while-revalidate).
 *
 * Times crossing processes are wall-clock milliseconds with sub-millisecond resolution
 * (`performance.timeOrigin + performance.now()`): every worker reads the same system clock.
 *
 * Env: `REDIS_URL`, `PREFIX`, `LOCK_TTL_MS` (the cache's `lockTtl`).
 */
import { createSatchel } from '../../src/index.js'
import { serveCommands } from '../../src/testing/index.js'

const satchel = createSatchel({
  redis: process.env.REDIS_URL,
  prefix: process.env.PREFIX ?? 'mp',
  // Several processes share two cores with Redis: allow for scheduling delays, so a slow answer
  // is not mistaken for an outage (the guarantees tested here are not about timeouts).
  timeouts: { commandMs: 2000, connectMs: 2000 },
  breaker: { failureThreshold: 1000 },
  cache: { lockTtl: Number(process.env.LOCK_TTL_MS ?? 5000) },
})
const cache = satchel.cache

const now = (): number => performance.timeOrigin + performance.now()
// Not the shared test helper: test/helpers.ts imports vitest, which does not load in a plain
// child process (this worker is one), so importing it keeps the worker from ever starting.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Factory calls made by this process, per key. */
const factoryCalls = new Map<string, number>()
/** Wall-clock time of this process's latest factory start, per key. */
const factoryStarts = new Map<string, number>()
const watches = new Map<string, Promise<WatchResult>>()

interface LoadArgs {
  key: string
  /** Concurrent `getOrSet` callers in this process. */
  concurrency: number
  factoryMs: number
  value: unknown
  ttl?: number
  grace?: number
  /** Wall-clock time at which every process starts its callers. */
  startAt?: number
}

interface LoadResult {
  /** Factory calls of this command's callers in this process. */
  factoryCalls: number
  /** Every caller's value. */
  values: unknown[]
  errors: string[]
  /** The slowest caller's duration (ms). */
  maxMs: number
  /** Wall-clock time this process's latest factory for the key started, if any. */
  factoryStartedAt: number | undefined
  finishedAt: number
}

interface WatchResult {
  /** Wall-clock time of the first `get` that no longer returned the value. */
  missAt: number
  /** Polls that still saw the value (0 means the value was gone before the watch began). */
  polls: number
}

function factoryFor(key: string, factoryMs: number, value: unknown, onStart?: () => void) {
  return async () => {
    factoryCalls.set(key, (factoryCalls.get(key) ?? 0) + 1)
    factoryStarts.set(key, now())
    onStart?.()
    await sleep(factoryMs)
    return value
  }
}

function busStats(): { subscribed?: boolean } | null {
  return satchel.stats().cache.bus as { subscribed?: boolean } | null
}

serveCommands({
  /** Connects and waits until the bus subscription is acknowledged. */
  ready: async () => {
    await satchel.connect()
    for (let i = 0; i < 500 && busStats()?.subscribed !== true; i++) await sleep(10)
    return busStats()
  },

  getOrSet: async (args: LoadArgs): Promise<LoadResult> => {
    if (args.startAt !== undefined) await sleep(args.startAt - now())
    const before = factoryCalls.get(args.key) ?? 0
    const options = {
      ...(args.ttl === undefined ? {} : { ttl: args.ttl }),
      ...(args.grace === undefined ? {} : { grace: args.grace }),
    }
    let maxMs = 0
    const errors: string[] = []
    const values = await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        const start = performance.now()
        try {
          return await cache.getOrSet(
            args.key,
            factoryFor(args.key, args.factoryMs, args.value),
            options,
          )
        } catch (error) {
          errors.push(String((error as Error).message ?? error))
          return undefined
        } finally {
          maxMs = Math.max(maxMs, performance.now() - start)
        }
      }),
    )
    return {
      factoryCalls: (factoryCalls.get(args.key) ?? 0) - before,
      values,
      errors,
      maxMs,
      factoryStartedAt: factoryStarts.get(args.key),
      finishedAt: now(),
    }
  },

  /** Starts a load whose factory never finishes; resolves once the factory is running. */
  startStuckLoad: async ({ key }: { key: string }) => {
    await new Promise<void>((started) => {
      void cache.getOrSet(key, factoryFor(key, 3_600_000, 'never', started)).catch(() => {})
    })
    return { startedAt: factoryStarts.get(key) }
  },

  /** Factory calls this process made for `key` so far. */
  factoryCalls: ({ key }: { key: string }) => factoryCalls.get(key) ?? 0,

  set: async ({ keys, value, ttl }: { keys: string[]; value: unknown; ttl: number }) => {
    for (const key of keys) await cache.set(key, value, { ttl })
  },

  get: ({ key }: { key: string }) => cache.get(key),

  /**
   * Reads each key until it is served from L1; returns how many are in L1 (hit counted by the
   * cache's own stats, so the measurement below really starts from an L1 entry).
   */
  primeL1: async ({ keys }: { keys: string[] }) => {
    let inL1 = 0
    for (const key of keys) {
      for (let i = 0; i < 5; i++) {
        const before = cache.stats().hits.l1
        const value = await cache.get(key)
        if (value !== undefined && cache.stats().hits.l1 === before + 1) {
          inL1++
          break
        }
      }
    }
    return inL1
  },

  /** Starts polling `get(key)` every millisecond until it stops returning a value. */
  watch: ({ key }: { key: string }) => {
    watches.set(
      key,
      (async () => {
        let polls = 0
        const deadline = now() + 5000
        while (now() < deadline) {
          if ((await cache.get(key)) === undefined) return { missAt: now(), polls }
          polls++
          await sleep(1)
        }
        throw new Error(`${key} still served ${polls} polls after the delete`)
      })(),
    )
  },

  watchResult: ({ key }: { key: string }) => {
    const watch = watches.get(key)
    watches.delete(key)
    if (!watch) throw new Error(`no watch on ${key}`)
    return watch
  },

  /** Deletes `key`; returns the wall-clock time just before the call. */
  del: async ({ key }: { key: string }) => {
    const at = now()
    await cache.del(key)
    return at
  },

  stats: () => ({ cache: cache.stats(), bus: busStats() }),

  close: () => satchel.close(),
})
