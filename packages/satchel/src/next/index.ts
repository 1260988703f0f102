/**
 * `satchel/next`: Next.js's caches on satchel's two tiers.
 *
 * - {@link createCacheHandler}: the incremental cache (`cacheHandler` in next.config): ISR
 *   pages, route handlers, `fetch` and `unstable_cache` data.
 * - {@link createUseCacheHandler}: `use cache` entries (`cacheHandlers` in next.config, Next 16).
 *
 * Both store entries in one satchel cache namespace (L1 in the process, Redis shared), map
 * Next's tags and implicit tags to satchel tags, and carry `revalidateTag` / `revalidatePath` to
 * every instance through tag stamps and the cache bus. With Redis slow or down they answer from
 * L1 or miss within satchel's command deadline, so Next keeps serving. See README "Next.js".
 *
 * @example
 * ```js
 * // next.config.mjs
 * export default {
 *   cacheHandler: new URL('./cache-handler.mjs', import.meta.url).pathname,
 *   cacheMaxMemorySize: 0, // satchel's L1 is the in-process tier
 * }
 * ```
 *
 * @packageDocumentation
 */
export { createCacheHandler } from './incremental-cache-handler.js'
export type {
  NextCacheControl,
  NextCacheHandlerContext,
  NextCacheHandlerValue,
  NextCacheValue,
  NextGetContext,
  NextIncrementalCacheHandler,
  NextIncrementalCacheHandlerClass,
  NextSetContext,
  NextUseCacheEntry,
  NextUseCacheHandler,
} from './next-types.js'
export {
  closeSharedSatchels,
  type NextCacheOptions,
  type ResolvedNextCacheOptions,
  resolveNextCacheOptions,
  sharedSatchel,
} from './options.js'
export { entryTtlMs, NextStore } from './store.js'
export { createUseCacheHandler } from './use-cache-handler.js'
