/**
 * Cache options, resolved in one place: durations parsed once, every field validated with an
 * `InvalidOptionError` naming it. Per-call options are merged over the namespace's defaults only
 * on the slow path (a miss or a write); an L1 hit reads two fields and allocates nothing.
 *
 * @module
 */
import { readDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import { MAX_TIMER_MS, MAX_TTL_MS } from '../core/option-schema.js'
import type { CacheCallOptions, CacheOptions, LockMode, NamespaceOptions } from './types.js'

/** Namespace defaults (and the root's), durations in ms. */
export interface ResolvedNamespaceOptions {
  /** @default 300000 (5 min) */
  ttlMs: number
  /** @default 0 (no stale serving) */
  graceMs: number
  /** @default 0.1 */
  jitter: number
  tags: readonly string[] | undefined
  softMs: number | undefined
  hardMs: number | undefined
  /** @default 'distributed' with Redis, 'local' without */
  lock: LockMode
  /** @default true */
  l1: boolean
  /** @default undefined (off) */
  eagerRefresh: number | undefined
  /** @default false */
  debug: boolean
  /**
   * Only per-call options set it; present (as `undefined`) on every resolved object so the
   * defaults can serve as call options as they are, and all share one shape.
   */
  shouldCache: ((value: never) => boolean) | undefined
}

/** Options only the root cache has. */
export interface ResolvedCacheOptions extends ResolvedNamespaceOptions {
  /** @default 10000 */
  maxEntries: number
  /** @default 67108864 (64 MiB) */
  maxBytes: number
  /** @default true when Redis is configured */
  bus: boolean
  /** Stampede lock TTL; the holder extends it every third of it. @default 5000 */
  lockTtlMs: number
  /**
   * Longest a caller waits for another process's load before running the factory itself (a
   * `timeout.hard` shorter than this wins). @default 10000
   */
  lockWaitMs: number
}

/** The per-call view the slow path works with. */
export interface ResolvedCallOptions<T> extends ResolvedNamespaceOptions {
  shouldCache: ((value: T) => boolean) | undefined
}

const DEFAULT_TTL_MS = 300_000

/** Bounds of the cache options (see the options table in the package README). */
export const CACHE_LIMITS = {
  ttlMs: { min: 1, max: MAX_TTL_MS },
  graceMs: { min: 0, max: MAX_TTL_MS },
  /** `timeout.soft`/`hard`, `lockTtl` and `lockWait` arm timers. */
  timerMs: { min: 0, max: MAX_TIMER_MS },
  lockTtlMs: { min: 30, max: MAX_TIMER_MS },
  l1Entries: { min: 1, max: 100_000_000 },
  l1Bytes: { min: 1, max: 64 * 1024 * 1024 * 1024 },
} as const

/**
 * A duration field, checked on this per-call path without building a zod schema per call; the
 * rules (whole milliseconds, bounds) are those of `core/option-schema.ts`.
 */
function duration(field: string, value: unknown, limits: { min: number; max: number }): number {
  const read = readDuration(value)
  if ('problem' in read) throw new InvalidOptionError(field, read.problem)
  if (read.ms < limits.min || read.ms > limits.max) {
    throw new InvalidOptionError(
      field,
      `expected ${limits.min} to ${limits.max} ms, got ${read.ms}`,
    )
  }
  return read.ms
}

function checkInteger(field: string, value: unknown, limits: { min: number; max: number }): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < limits.min ||
    value > limits.max
  ) {
    throw new InvalidOptionError(
      field,
      `expected an integer from ${limits.min} to ${limits.max}, got ${String(value)}`,
    )
  }
  return value
}

function checkFraction(field: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidOptionError(field, `expected a number from ${min} to ${max}, got ${value}`)
  }
  return value
}

function checkLock(field: string, value: unknown): LockMode {
  if (value === 'local' || value === 'distributed' || value === false) return value
  throw new InvalidOptionError(
    field,
    `expected 'local', 'distributed' or false, got ${String(value)}`,
  )
}

function checkTags(field: string, tags: unknown): readonly string[] | undefined {
  if (tags === undefined) return undefined
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new InvalidOptionError(field, 'expected an array of non-empty strings')
  }
  return tags.length === 0 ? undefined : tags
}

/**
 * Merges `input` over `base`. `path` prefixes field names in errors (`cache.ttl`).
 * @throws InvalidOptionError naming the offending field.
 */
export function mergeOptions(
  base: ResolvedNamespaceOptions,
  input: NamespaceOptions | CacheCallOptions | undefined,
  path: string,
): ResolvedNamespaceOptions {
  if (input === undefined) return base
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError(path.slice(0, -1) || 'options', 'expected an options object')
  }
  const out: ResolvedNamespaceOptions = { ...base }
  if (input.ttl !== undefined) out.ttlMs = duration(`${path}ttl`, input.ttl, CACHE_LIMITS.ttlMs)
  if (input.grace !== undefined) {
    out.graceMs = duration(`${path}grace`, input.grace, CACHE_LIMITS.graceMs)
  }
  if (input.jitter !== undefined) out.jitter = checkFraction(`${path}jitter`, input.jitter, 0, 0.9)
  if (input.tags !== undefined) out.tags = checkTags(`${path}tags`, input.tags)
  if (input.timeout !== undefined) {
    if (typeof input.timeout !== 'object' || input.timeout === null) {
      throw new InvalidOptionError(`${path}timeout`, 'expected { soft?, hard? }')
    }
    const { soft, hard } = input.timeout
    if (soft !== undefined) {
      out.softMs = duration(`${path}timeout.soft`, soft, CACHE_LIMITS.timerMs)
    }
    if (hard !== undefined) {
      out.hardMs = duration(`${path}timeout.hard`, hard, CACHE_LIMITS.timerMs)
    }
  }
  if (input.lock !== undefined) out.lock = checkLock(`${path}lock`, input.lock)
  if (input.l1 !== undefined) {
    if (typeof input.l1 !== 'boolean')
      throw new InvalidOptionError(`${path}l1`, 'expected a boolean')
    out.l1 = input.l1
  }
  if (input.eagerRefresh !== undefined) {
    const f = input.eagerRefresh
    if (typeof f !== 'number' || !(f > 0 && f < 1)) {
      throw new InvalidOptionError(`${path}eagerRefresh`, `expected 0 < f < 1, got ${String(f)}`)
    }
    out.eagerRefresh = f
  }
  const debug = (input as NamespaceOptions).debug
  if (debug !== undefined) {
    if (typeof debug !== 'boolean')
      throw new InvalidOptionError(`${path}debug`, 'expected a boolean')
    out.debug = debug
  }
  return out
}

/**
 * Resolves the root cache's options.
 * @throws InvalidOptionError naming the offending `cache.*` field.
 */
export function resolveCacheOptions(
  options: CacheOptions,
  redisEnabled: boolean,
): ResolvedCacheOptions {
  const base: ResolvedNamespaceOptions = {
    ttlMs: DEFAULT_TTL_MS,
    graceMs: 0,
    jitter: 0.1,
    tags: undefined,
    softMs: undefined,
    hardMs: undefined,
    lock: redisEnabled ? 'distributed' : 'local',
    l1: true,
    eagerRefresh: undefined,
    debug: false,
    shouldCache: undefined,
  }
  const merged = mergeOptions(base, options, 'cache.')
  const limits = options.l1Limits ?? {}
  if (typeof limits !== 'object' || limits === null) {
    throw new InvalidOptionError('cache.l1Limits', 'expected { maxEntries?, maxBytes? }')
  }
  const maxEntries = checkInteger(
    'cache.l1Limits.maxEntries',
    limits.maxEntries ?? 10_000,
    CACHE_LIMITS.l1Entries,
  )
  const maxBytes = checkInteger(
    'cache.l1Limits.maxBytes',
    limits.maxBytes ?? 64 * 1024 * 1024,
    CACHE_LIMITS.l1Bytes,
  )
  if (options.bus !== undefined && typeof options.bus !== 'boolean') {
    throw new InvalidOptionError('cache.bus', 'expected a boolean')
  }
  const lockTtlMs = duration('cache.lockTtl', options.lockTtl ?? 5000, CACHE_LIMITS.lockTtlMs)
  const lockWaitMs = duration('cache.lockWait', options.lockWait ?? 10_000, CACHE_LIMITS.timerMs)
  return {
    ...merged,
    maxEntries,
    maxBytes,
    bus: redisEnabled && options.bus !== false,
    lockTtlMs,
    lockWaitMs,
  }
}

/** Merges per-call options over a namespace's; allocation happens only on the slow path. */
export function callOptions<T>(
  base: ResolvedNamespaceOptions,
  input: CacheCallOptions<T> | undefined,
): ResolvedCallOptions<T> {
  // No options: the namespace's defaults are the call's options, no allocation.
  if (input === undefined) return base as ResolvedCallOptions<T>
  if (input.shouldCache !== undefined && typeof input.shouldCache !== 'function') {
    throw new InvalidOptionError('shouldCache', 'expected a function')
  }
  const merged = mergeOptions(base, input as CacheCallOptions, '') as ResolvedCallOptions<T>
  merged.shouldCache = input.shouldCache
  return merged
}
