import type { Duration } from '../../core/duration.js'
import type { Cache, CacheCallOptions } from '../types.js'

/** The one cache method the function wrappers need. */
export type LoadingCache = Pick<Cache, 'getOrSet'>

/**
 * A cache, or a function returning one. The function form lets a wrapper be declared at module
 * load (a static class field, as in a cached repository class) before the satchel
 * instance exists; it is called on every invocation, so it must be cheap.
 */
export type CacheSource = LoadingCache | (() => LoadingCache)

/** Per-call options, or just a TTL (`TTL.LONG`, `'10m'`): the familiar `withCache(key, fn, ttl)` form. */
export type CacheOptionsInput<T> = Duration | CacheCallOptions<T>

export function resolveCache(source: CacheSource): LoadingCache {
  return typeof source === 'function' ? source() : source
}

export function toCallOptions<T>(input: CacheOptionsInput<T> | undefined): CacheCallOptions<T> {
  if (input === undefined) return {}
  if (typeof input === 'number' || typeof input === 'string') return { ttl: input }
  return input
}
