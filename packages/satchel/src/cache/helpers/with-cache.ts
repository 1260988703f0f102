import type { FactoryContext } from '../types.js'
import {
  type CacheOptionsInput,
  type CacheSource,
  resolveCache,
  toCallOptions,
} from './cache-source.js'

/**
 * Wraps a parameterless loader: every call reads `key` through `cache.getOrSet`, so concurrent
 * misses share one load (stampede protection) and a Redis outage degrades to L1 + the loader.
 *
 * @param options - per-call options, or just a TTL (`TTL.MEDIUM`, `'5m'`).
 * @example
 * ```ts
 * const getActiveCourses = withCache(
 *   () => satchel.cache,
 *   satchel.keys.org(orgId).key('courses', 'active'),
 *   () => courseRepository.getActiveCourses(orgId),
 *   TTL.MEDIUM,
 * )
 * const courses = await getActiveCourses()
 * ```
 */
export function withCache<T>(
  cache: CacheSource,
  key: string,
  fn: (context: FactoryContext<T>) => T | Promise<T>,
  options?: CacheOptionsInput<T>,
): () => Promise<T> {
  const callOptions = toCallOptions(options)
  return () => resolveCache(cache).getOrSet<T>(key, fn, callOptions)
}

/** Options of {@link withCacheParam}: fixed, or computed from the arguments (per-entity tags). */
export type ParamCacheOptions<A extends unknown[], T> =
  | CacheOptionsInput<T>
  | ((...args: A) => CacheOptionsInput<T>)

/**
 * Wraps a loader whose cache key is derived from its arguments: one entry per distinct key.
 * Build the key with `satchel.keys` (organisation-scoped, escaped) so a user-supplied argument
 * can never collide with another tenant's entry.
 *
 * @example
 * ```ts
 * const getCourseById = withCacheParam(
 *   () => satchel.cache,
 *   (orgId: string, id: string) => satchel.keys.org(orgId).key('course', id),
 *   (orgId: string, id: string) => courseRepository.getCourseById(orgId, id),
 *   (orgId, id) => ({ ttl: TTL.LONG, tags: [`course:${id}`] }),
 * )
 * const course = await getCourseById('org-7', 'c-42')
 * ```
 */
export function withCacheParam<A extends unknown[], T>(
  cache: CacheSource,
  key: (...args: A) => string,
  fn: (...args: A) => T | Promise<T>,
  options?: ParamCacheOptions<A, T>,
): (...args: A) => Promise<T> {
  const fixed = typeof options === 'function' ? undefined : toCallOptions(options)
  return (...args: A) => {
    const callOptions =
      fixed ?? toCallOptions(typeof options === 'function' ? options(...args) : undefined)
    return resolveCache(cache).getOrSet<T>(key(...args), () => fn(...args), callOptions)
  }
}
