/**
 * The cache's public shape. The engine (`namespace.ts` over `core.ts`) implements {@link Cache}; helpers
 * (`withCache`, `@Cached`, warmers, the Prometheus collector) and the bus depend only on these
 * types, never on the engine's internals.
 *
 * ## Keys
 * The root cache (`satchel.cache`) stores an entry at exactly the key it is given; build it with
 * `satchel.keys` so tenant data is organisation-scoped (`campus:o:42:report:7`). A namespace
 * (`cache.namespace('bundles')`) takes keys relative to it and stores them under
 * `<prefix>:ns:<name>:<key>` (a nested namespace `b` of `a`: `<prefix>:ns:a:ns:b:<key>`), so
 * `clear()` on the namespace is one SCAN pattern. Cache-internal keys (tag stamps, stampede
 * locks) live under `<prefix>:c:`. Tags are global: `invalidateTags(['course:1'])` on any
 * namespace invalidates entries carrying that tag in every namespace.
 *
 * @module
 */
import type { Duration } from '../core/duration.js'
import type { LatencySummary } from '../core/histogram.js'

/** Which lock guards a miss: per process, across processes (default with Redis), or none. */
export type LockMode = 'local' | 'distributed' | false

/** Options for one call; every field falls back to the namespace's, then the cache's defaults. */
export interface CacheCallOptions<T = unknown> {
  /** How long the value is fresh. Milliseconds or `'10m'`. @default the namespace's `ttl` (5 min) */
  ttl?: Duration
  /**
   * How long after `ttl` a stale value may still be served (stale-while-revalidate, and the
   * fail-safe fallback when the factory fails). `0` disables. @default the namespace's `grace`
   */
  grace?: Duration
  /** Randomises the stored TTL by up to this fraction (0.1 = ±10%). @default 0.1 */
  jitter?: number
  /** Tags for `invalidateTags`. */
  tags?: readonly string[]
  /**
   * Factory time limits. `soft`: with a stale value at hand, serve it after this long and let the
   * factory finish in the background. `hard`: give up (`E_FACTORY_TIMEOUT`, or stale if any).
   */
  timeout?: { soft?: Duration; hard?: Duration }
  /** Stampede protection on a miss. @default 'distributed' with Redis, 'local' without */
  lock?: LockMode
  /** Return `false` to hand the value back without storing it (errors are never stored). */
  shouldCache?: (value: T) => boolean
  /** `false` skips the in-process tier for this call. @default true */
  l1?: boolean
  /**
   * Refresh in the background once this fraction of `ttl` has elapsed on a hit (0 < f < 1).
   * @default off
   */
  eagerRefresh?: number
}

/** Options of a namespace (and of the root cache): the defaults its calls inherit. */
export interface NamespaceOptions extends Omit<CacheCallOptions, 'shouldCache'> {
  /** Log one `[Cache] GET key: HIT (1.23ms)` line per operation at debug level. @default false */
  debug?: boolean
}

/** Options of the root cache, given to `createSatchel({ cache })`. */
export interface CacheOptions extends NamespaceOptions {
  /** In-process tier caps. @default { maxEntries: 10_000, maxBytes: 64 MiB } */
  l1Limits?: { maxEntries?: number; maxBytes?: number }
  /** Cross-instance L1 invalidation over pub/sub. @default true when Redis is configured */
  bus?: boolean
  /**
   * TTL of the distributed stampede lock; the holder extends it every third of it while the
   * factory runs, so it bounds only how long a crashed holder blocks the key. @default 5000
   */
  lockTtl?: Duration
  /**
   * Longest a caller waits for another process's load before running the factory itself
   * (a shorter `timeout.hard` wins and ends the wait with `E_FACTORY_TIMEOUT`). @default 10000
   */
  lockWait?: Duration
}

/** The factory's context: lets a factory adjust how its own result is cached. */
export interface FactoryContext<T = unknown> {
  /** The key being loaded. */
  readonly key: string
  /** The stale value being refreshed, if any. */
  readonly stale: T | undefined
  /** Aborted when the caller stopped waiting (hard timeout) or the cache is closing. */
  readonly signal: AbortSignal
  /**
   * Overrides the TTL for this result and, with `grace`, how long past it the value may still be
   * served stale. A short TTL with `grace: 0` suits negative results ("not found"): cached briefly,
   * never kept a day as a stale fallback.
   * @example ctx.setTtl('30s', { grace: 0 })
   */
  setTtl(ttl: Duration, options?: { grace?: Duration }): void
  /** Adds tags to this result. */
  setTags(tags: readonly string[]): void
  /** Do not store this result (it is still returned). */
  skip(): void
}

/** A value factory: usually a database query. */
export type Factory<T> = (context: FactoryContext<T>) => T | Promise<T>

/** One entry for `mset` or `warm`. */
export interface CacheEntryInput<T = unknown> {
  key: string
  value: T
  options?: CacheCallOptions<T>
}

/** One entry for `warm`: a value or a factory. */
export interface WarmEntry<T = unknown> {
  key: string
  factory: Factory<T>
  options?: CacheCallOptions<T>
}

/** Progress of `cache.warm`, also emitted as the `cache:warm` event. */
export interface WarmProgress {
  done: number
  total: number
  failed: number
  /** The key just finished. */
  key: string
}

/** Counters of one namespace. */
export interface CacheNamespaceStats {
  namespace: string
  hits: { l1: number; l2: number }
  misses: number
  /** Stale values served (SWR, soft timeout, fail-safe). */
  staleServed: number
  /** Background refreshes started. */
  refreshes: number
  factoryCalls: number
  factoryErrors: number
  factoryTimeouts: number
  /** Redis operations that failed or were skipped by the breaker (degraded to L1 + factory). */
  redisErrors: number
  /** Callers that waited for another process's (or call's) load. */
  lockWaits: number
  bytesRead: number
  bytesWritten: number
  /** hits / (hits + misses). */
  hitRate: number
  /** L2 round-trip latency. */
  l2Latency: LatencySummary
  l1: { entries: number; bytes: number }
}

/**
 * How untagged `getOrSet` calls under the distributed lock read Redis first: `get` (a plain
 * `GET`, the cheapest hit) or `read-or-lock` (reads and takes the stampede lock in one round
 * trip, so a miss costs two round trips instead of three, and a hit a script call), chosen from
 * `missShare`, the recent share of misses among those reads.
 */
export interface CacheFirstReadStats {
  mode: 'get' | 'read-or-lock'
  missShare: number
}

/** Counters of the cache bus. */
export interface CacheBusStats {
  published: number
  received: number
  /** Own messages seen on the channel and ignored. */
  ignoredOwn: number
  /** Times L1 was cleared because messages may have been missed (bus reconnect). */
  resyncs: number
}

/** The cache: two tiers, stampede-protected loads, tags, patterns and a bus. */
export interface Cache {
  /** The namespace name (`''` for the root). */
  readonly name: string
  get<T>(key: string, options?: Pick<CacheCallOptions<T>, 'l1'>): Promise<T | undefined>
  set<T>(key: string, value: T, options?: CacheCallOptions<T>): Promise<void>
  /** Deletes keys from both tiers and tells other instances; returns how many L2 entries existed. */
  del(...keys: string[]): Promise<number>
  exists(key: string): Promise<boolean>
  /** Remaining fresh time in ms; `-2` missing (Redis convention), `-1` no expiry. */
  ttl(key: string): Promise<number>
  /** Atomic counter in L2 (not cached in L1). With Redis down: `undefined`. */
  incr(key: string, by?: number, options?: { ttl?: Duration }): Promise<number | undefined>
  expire(key: string, ttl: Duration): Promise<boolean>
  mget<T>(keys: readonly string[]): Promise<(T | undefined)[]>
  mset<T>(entries: readonly CacheEntryInput<T>[]): Promise<void>
  getOrSet<T>(key: string, factory: Factory<T>, options?: CacheCallOptions<T>): Promise<T>
  /** Alias of `getOrSet`. */
  wrap<T>(key: string, factory: Factory<T>, options?: CacheCallOptions<T>): Promise<T>
  /** SCAN + UNLINK on every master; `pattern` is a Redis glob over full keys. Returns count. */
  delPattern(pattern: string): Promise<number>
  /** Every entry carrying any of the tags becomes a miss on every instance. O(tags) commands. */
  invalidateTags(tags: readonly string[]): Promise<void>
  namespace(name: string, options?: NamespaceOptions): Cache
  /** Removes every entry of this namespace (and its sub-namespaces) from both tiers. */
  clear(): Promise<number>
  /** Loads entries with bounded concurrency; progress via `onProgress` and `cache:warm`. */
  warm<T>(
    entries: Iterable<WarmEntry<T>> | AsyncIterable<WarmEntry<T>>,
    options?: { concurrency?: number; onProgress?: (progress: WarmProgress) => void },
  ): Promise<{ loaded: number; failed: number; errors: { key: string; error: unknown }[] }>
  /** Counters of this namespace. */
  stats(): CacheNamespaceStats
}

/** A message on the cache bus. Keys are full Redis keys. */
export type BusMessage =
  | { type: 'set' | 'delete'; keys: string[] }
  | { type: 'tags'; tags: string[]; at: number }
  | { type: 'clear'; prefixes: string[] }

/** Cross-instance L1 invalidation. Never throws, never blocks a caller. */
export interface CacheBus {
  /** Fire and forget. */
  publish(message: BusMessage): void
  /** Messages from other instances (own messages are filtered out). */
  onMessage(handler: (message: BusMessage) => void): () => void
  /**
   * Called when the subscription is established (first time and after every reconnect): from
   * then on messages are heard, and anything cached before may have missed some.
   */
  onResync(handler: () => void): () => void
  stats(): CacheBusStats
  close(): Promise<void>
}
