import {
  type Cache,
  type CacheBusStats,
  type CacheFirstReadStats,
  type CacheNamespaceStats,
  type CacheOptions,
  cacheStatsReport,
  cacheTotals,
  createCache,
} from './cache/index.js'
import { resolveCacheOptions } from './cache/options.js'
import { createClient } from './core/client-factory.js'
import { type Codec, type CodecOptions, createCodec } from './core/codec.js'
import type { SatchelContext } from './core/context.js'
import type { Duration } from './core/duration.js'
import { parseDuration } from './core/duration.js'
import { SatchelEvents } from './core/events.js'
import { type Flags, type FlagsInput, parseFlags } from './core/flags.js'
import { checkHealth, type HealthReport } from './core/health.js'
import { createKeyBuilder, type KeyBuilder } from './core/keys.js'
import type { Logger } from './core/logger.js'
import {
  type ResolvedCoreOptions,
  resolveCoreOptions,
  type SatchelOptions,
} from './core/options.js'
import { RedisGateway, type RedisPathStats } from './core/redis-gateway.js'
import { ValueStore, type ValueStoreStats } from './core/value-store.js'
import { type Counter, type CounterOptions, createCounter } from './counter/index.js'
import {
  createIdempotency,
  type Idempotency,
  type IdempotencyOptions,
} from './idempotency/index.js'
import { createLocks, type Locks, type LocksOptions } from './lock/index.js'
import { resolveLocksOptions } from './lock/options.js'
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './ratelimit/index.js'
import { createSessionIndex, type SessionIndex, type SessionIndexOptions } from './session/index.js'

/** Options for {@link createSatchel}: the core options plus flags and codec settings. */
export interface CreateSatchelOptions extends SatchelOptions {
  /**
   * Enabled capabilities: a `SATCHEL_FLAGS`-style string (`'cache,rate_limit'`, `'-locking'`,
   * `'all'`, `'none'`), a list, or `{ name: boolean }`. Read from `env.SATCHEL_FLAGS` when unset.
   * @default all enabled
   */
  flags?: FlagsInput
  /** Value encoding: compression threshold and `maxValueBytes`. */
  codec?: CodecOptions
  /** Options of the root cache (`satchel.cache`): L1 size, default TTL and grace, bus. */
  cache?: CacheOptions
  /** Options of `satchel.locks`: default TTL and retry policy. */
  locks?: LocksOptions
}

/** Everything `satchel.stats()` reports. */
export interface SatchelStats extends ValueStoreStats {
  /**
   * `hits`, `misses`, `hitRate`, `bytesRead`, `bytesWritten` and `errors` count the cache (both
   * tiers; `errors` = Redis failures the cache absorbed) plus `satchel.values` reads.
   */
  hits: number
  /** Stale cache values served (stale-while-revalidate, soft timeout, fail-safe). */
  stale: number
  /** The cache's in-process tier (all namespaces). */
  l1: { hits: number; entries: number; bytes: number }
  /** The cache's Redis tier: hits and round-trip latency of cache reads. */
  l2: { hits: number; latency: RedisPathStats['latency'] }
  /**
   * Per-namespace cache counters, the bus and the first-read policy; empty (`null`) until
   * `satchel.cache` is first used.
   */
  cache: {
    namespaces: CacheNamespaceStats[]
    bus: CacheBusStats | null
    firstRead: CacheFirstReadStats | null
  }
  /** Redis round-trip latency (sampled), the same summary as `redis.latency`. */
  latency: RedisPathStats['latency']
  redis: RedisPathStats
  breaker: ReturnType<NonNullable<RedisGateway['breaker']>['snapshot']> | null
}

/** A configured satchel instance: one per process (or per Redis deployment). */
export interface Satchel {
  /** Organisation-scoped key builder. */
  readonly keys: KeyBuilder
  /** Which capabilities are on. */
  readonly flags: Flags
  /** The guarded door to Redis: `exec`, `failOpen`, the raw `client`. */
  readonly redis: RedisGateway
  /** Encoded values in Redis: size-guarded writes, malformed reads as misses. */
  readonly values: ValueStore
  /** The value codec in use. */
  readonly codec: Codec
  /** The two-tier cache (root namespace). Created on first use. */
  readonly cache: Cache
  /** Distributed locks with fencing tokens. Created on first use. */
  readonly locks: Locks
  /** A rate limiter; create one per policy at startup and reuse it. */
  rateLimiter(options: RateLimiterOptions): RateLimiter
  /** Idempotency-Key records for one kind of operation. */
  idempotency(options: IdempotencyOptions): Idempotency
  /** A read-through session index over the caller's database loader. */
  sessionIndex<S>(options: SessionIndexOptions<S>): SessionIndex<S>
  /** A counter cached in Redis and reconciled against the database. */
  counter(options: CounterOptions): Counter
  /** Typed events: breaker changes, connection changes, oversize and malformed values. */
  readonly events: SatchelEvents
  readonly logger: Logger
  /** The resolved options, durations in ms. */
  readonly options: Readonly<ResolvedCoreOptions>
  /**
   * Connects now instead of on first use, bounded by `connectMs`. Rejects with a clear error
   * (`E_REDIS_AUTH` for bad credentials, else `E_REDIS_UNAVAILABLE`); a no-op when memory-only.
   */
  connect(): Promise<void>
  /** Redis reachability, latency and breaker state. Never throws. */
  health(): Promise<HealthReport>
  /** Counters since start. Cheap: reads in-memory counters only. */
  stats(): SatchelStats
  /**
   * Stops taking work, lets in-flight commands finish up to the deadline, then disconnects the
   * client satchel created (a client passed in is left open for its owner).
   */
  close(options?: { deadlineMs?: Duration }): Promise<void>
}

/**
 * Creates a satchel instance. Nothing connects until first use (or `connect()`).
 *
 * @throws InvalidOptionError or UnknownFlagError when the options are wrong: configuration
 *   errors surface at startup, not on the first request.
 * @example
 * ```ts
 * const satchel = createSatchel({
 *   redis: process.env.REDIS_URL,
 *   prefix: 'campus',
 *   timeouts: { connectMs: 1000, commandMs: 50 },
 *   flags: process.env.SATCHEL_FLAGS,
 *   logger,
 * })
 * const key = satchel.keys.org(orgId).key('report', reportId)
 * ```
 */
export function createSatchel(options: CreateSatchelOptions = {}): Satchel {
  const resolved = resolveCoreOptions(options)
  const flags = parseFlags(options.flags ?? resolved.env.SATCHEL_FLAGS)
  const keys = createKeyBuilder({ prefix: resolved.prefix })
  const codec = createCodec(options.codec)
  const events = new SatchelEvents()
  // Every capability's options are checked now, so a configuration error surfaces at startup;
  // the cache and locks themselves are still built on first use.
  const cacheOptions = options.cache ?? {}
  resolveCacheOptions(cacheOptions, options.redis !== undefined && flags.enabled('cache'))
  const locksOptions = options.locks ?? {}
  resolveLocksOptions(locksOptions)
  const gateway = new RedisGateway(createClient(options.redis, resolved), resolved, events)
  const values = new ValueStore(gateway, codec, events)
  const cleanups: (() => void | Promise<void>)[] = []
  const ctx: SatchelContext = {
    gateway,
    keys,
    codec,
    values,
    events,
    logger: resolved.logger,
    flags,
    options: resolved,
    onClose: (cleanup) => {
      cleanups.push(cleanup)
    },
  }
  let cache: Cache | undefined
  let locks: Locks | undefined

  return {
    keys,
    flags,
    redis: gateway,
    values,
    codec,
    events,
    get cache() {
      cache ??= createCache(ctx, cacheOptions)
      return cache
    },
    get locks() {
      locks ??= createLocks(ctx, locksOptions)
      return locks
    },
    rateLimiter: (limiterOptions) => createRateLimiter(ctx, limiterOptions),
    idempotency: (idempotencyOptions) => createIdempotency(ctx, idempotencyOptions),
    sessionIndex: (sessionOptions) => createSessionIndex(ctx, sessionOptions),
    counter: (counterOptions) => createCounter(ctx, counterOptions),
    logger: resolved.logger,
    options: resolved,
    async connect() {
      const connection = gateway.connection
      if (!connection) return
      await connection.ready()
    },
    health: () => checkHealth(gateway),
    stats: () => {
      const redis = gateway.stats()
      const store = values.stats()
      const report = cache === undefined ? { namespaces: [], bus: null } : cacheStatsReport(cache)
      const c = cacheTotals(report.namespaces)
      const hits = store.hits + c.hits
      const misses = store.misses + c.misses
      return {
        ...store,
        hits,
        misses,
        hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
        stale: c.stale,
        bytesRead: store.bytesRead + c.bytesRead,
        bytesWritten: store.bytesWritten + c.bytesWritten,
        errors: store.errors + c.errors,
        l1: c.l1,
        l2: { hits: c.l2.hits, latency: report.l2Latency ?? redis.latency },
        cache: {
          namespaces: report.namespaces,
          bus: report.bus,
          firstRead: report.firstRead ?? null,
        },
        latency: redis.latency,
        redis,
        breaker: gateway.breaker?.snapshot() ?? null,
      }
    },
    async close(closeOptions) {
      const deadline =
        closeOptions?.deadlineMs === undefined
          ? undefined
          : parseDuration(closeOptions.deadlineMs, 'deadlineMs')
      // Primitives stop their timers and subscribers first, so nothing new reaches the gateway
      // while it drains.
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
      await gateway.close(deadline)
    },
  }
}
