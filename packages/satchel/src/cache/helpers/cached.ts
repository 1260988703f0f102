import type { CacheCallOptions } from '../types.js'
import { type CacheSource, resolveCache } from './cache-source.js'

/** Options of {@link Cached}. */
export interface CachedOptions<A extends unknown[], T> extends Omit<CacheCallOptions<T>, 'tags'> {
  /** The cache, or a function returning it (resolved on each call, after startup). */
  cache: CacheSource
  /**
   * The entry's key from the method's arguments. Required: satchel never derives a key from
   * `JSON.stringify(args)`, because tenant data must be cached under an organisation-scoped key.
   */
  key: (...args: A) => string
  /** Tags of the entry: fixed, or computed from the arguments. */
  tags?: readonly string[] | ((...args: A) => readonly string[])
}

/**
 * Caches an async class method per key (a TC39 standard decorator: TypeScript 5 with
 * `experimentalDecorators` off). The method runs with its own `this` on a miss.
 *
 * @example
 * ```ts
 * class CourseService {
 *   @Cached({
 *     cache: () => satchel.cache,
 *     key: (orgId: string, id: string) => satchel.keys.org(orgId).key('course', id),
 *     ttl: TTL.LONG,
 *     tags: (_orgId, id) => [`course:${id}`],
 *   })
 *   async getCourse(orgId: string, id: string): Promise<Course> {
 *     return this.repository.findCourse(orgId, id)
 *   }
 * }
 * ```
 */
export function Cached<This, A extends unknown[], T>(options: CachedOptions<A, T>) {
  const { cache, key, tags, ...rest } = options
  return (
    method: (this: This, ...args: A) => Promise<T>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<T>>,
  ): ((this: This, ...args: A) => Promise<T>) => {
    if (context.kind !== 'method') throw new TypeError('@Cached decorates methods only')
    return function cachedMethod(this: This, ...args: A): Promise<T> {
      const callOptions: CacheCallOptions<T> = { ...rest }
      if (tags) callOptions.tags = typeof tags === 'function' ? tags(...args) : tags
      return resolveCache(cache).getOrSet<T>(
        key(...args),
        () => method.apply(this, args),
        callOptions,
      )
    }
  }
}
