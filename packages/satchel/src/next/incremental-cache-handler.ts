/**
 * Next.js's incremental cache (ISR pages, route handlers, the `fetch` data cache and
 * `unstable_cache`) on satchel: `cacheHandler` in next.config.
 *
 * @module
 */
import type {
  NextCacheHandlerValue,
  NextCacheValue,
  NextGetContext,
  NextIncrementalCacheHandler,
  NextIncrementalCacheHandlerClass,
  NextSetContext,
} from './next-types.js'
import { type NextCacheOptions, resolveNextCacheOptions } from './options.js'
import { NextStore } from './store.js'
import {
  lifetimeSeconds,
  readTags,
  restoreBinary,
  type StoredIncrementalEntry,
  tagsOf,
} from './values.js'

/**
 * Builds the class to export as the default of the module named by `cacheHandler` in
 * next.config. Next constructs it once per request (with a context this handler does not need:
 * `options` configure it); every instance shares one {@link NextStore}
 * (and so one L1, one Redis connection and one bus subscription per process).
 *
 * - `revalidateTag(tag, profile)` and `revalidatePath(path)` reach every instance: the tags are
 *   stamped in Redis and announced on satchel's bus, and entries carrying them become misses.
 *   Every revalidation expires at once, whatever `profile` says: the next request on any
 *   instance renders fresh content instead of serving the old one while it re-renders.
 * - Redis slow or down: reads answer from L1 within satchel's command deadline or miss (Next
 *   renders); writes keep L1 and are logged. Nothing throws into Next.
 *
 * @example
 * ```js
 * // cache-handler.mjs, next to next.config
 * import { createCacheHandler } from 'satchel/next'
 * export default createCacheHandler({ redis: process.env.REDIS_URL, prefix: 'shop' })
 * ```
 */
export function createCacheHandler(
  options: NextCacheOptions = {},
): NextIncrementalCacheHandlerClass {
  const resolved = resolveNextCacheOptions(options)
  let store: NextStore | undefined
  const storeOf = (): NextStore => {
    store ??= new NextStore(resolved)
    return store
  }

  return class SatchelIncrementalCache implements NextIncrementalCacheHandler {
    async get(cacheKey: string, context: NextGetContext): Promise<NextCacheHandlerValue | null> {
      const s = storeOf()
      const stored = await s.read<StoredIncrementalEntry>(cacheKey)
      if (stored === undefined || stored.value === undefined) {
        // A miss is followed by a fetch and a set: make sure the soft tags' epochs exist first,
        // so the entry about to be written is valid against them.
        await s.softTagsAllow(readTags(context, []), Number.POSITIVE_INFINITY)
        return null
      }
      const extra = readTags(context, stored.tags)
      if (extra.length > 0 && !(await s.softTagsAllow(extra, stored.lastModified))) return null
      return {
        lastModified: stored.lastModified,
        value: restoreBinary(stored.value),
        ...(stored.cacheControl ? { cacheControl: stored.cacheControl } : {}),
      }
    }

    async set(
      cacheKey: string,
      data: NextCacheValue | null,
      context: NextSetContext,
    ): Promise<void> {
      const s = storeOf()
      if (data === null) return s.remove(cacheKey)
      const tags = tagsOf(data, context)
      const entry: StoredIncrementalEntry = {
        lastModified: Date.now(),
        value: data,
        tags,
        ...(context?.cacheControl ? { cacheControl: context.cacheControl } : {}),
      }
      await s.write(cacheKey, entry, tags, s.ttlMs(lifetimeSeconds(data, context)))
    }

    async revalidateTag(tags: string | string[], _durations?: { expire?: number }): Promise<void> {
      await storeOf().invalidate(typeof tags === 'string' ? [tags] : tags)
    }

    resetRequestCache(): void {}
  }
}
