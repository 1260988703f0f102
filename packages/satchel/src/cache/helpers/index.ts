/**
 * Cache helpers built on the public `Cache` interface only: function wrappers, the
 * `@Cached` decorator, TTL presets and a declarative invalidator.
 *
 * @module
 */
export type { CacheOptionsInput, CacheSource, LoadingCache } from './cache-source.js'
export { Cached, type CachedOptions } from './cached.js'
export {
  createInvalidator,
  type InvalidationResult,
  type InvalidationRules,
  type InvalidationTargets,
  type Invalidator,
} from './invalidator.js'
export { TTL, type TtlPreset } from './ttl.js'
export { type ParamCacheOptions, withCache, withCacheParam } from './with-cache.js'
