/**
 * Next 16's `use cache` entries on satchel: `cacheHandlers.default` (and `.remote`) in
 * next.config.
 *
 * @module
 */
import type { NextUseCacheEntry, NextUseCacheHandler } from './next-types.js'
import { type NextCacheOptions, resolveNextCacheOptions } from './options.js'
import { NextStore } from './store.js'

/** Keys of `use cache` entries, apart from the incremental cache's in the same namespace. */
const USE_CACHE = '#use-cache:'

/** One `use cache` entry as stored: the stream's bytes plus Next's metadata. */
interface StoredUseCacheEntry {
  bytes: Uint8Array
  tags: string[]
  stale: number
  timestamp: number
  expire: number
  revalidate: number
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice())
      controller.close()
    },
  })
}

/**
 * Builds the object to export as the default of the module named in `cacheHandlers`. Entries
 * share the store, tags and failure policy of {@link createCacheHandler}; `updateTags` (from
 * `revalidateTag`, `updateTag`, `revalidatePath`) expires entries on every instance at once.
 * Soft tags are checked in `get` (`getExpiration` answers `Infinity`, which tells Next to pass
 * them there), against satchel's tag epochs.
 *
 * @example
 * ```js
 * // use-cache-handler.mjs
 * import { createUseCacheHandler } from 'satchel/next'
 * export default createUseCacheHandler({ redis: process.env.REDIS_URL, prefix: 'shop' })
 * ```
 */
export function createUseCacheHandler(options: NextCacheOptions = {}): NextUseCacheHandler {
  const resolved = resolveNextCacheOptions(options)
  let store: NextStore | undefined
  const storeOf = (): NextStore => {
    store ??= new NextStore(resolved)
    return store
  }
  // Writes still reading their stream: a `get` of the same key waits for them (Next's contract).
  // Each is removed as soon as it settles, so no request's stream or context outlives its set.
  const pending = new Map<string, Promise<void>>()

  async function writeEntry(key: string, pendingEntry: Promise<NextUseCacheEntry>): Promise<void> {
    const entry = await pendingEntry
    // A stream that errors mid-way delivered partial data: keep nothing rather than half a value.
    const bytes = new Uint8Array(await new Response(entry.value).arrayBuffer())
    const s = storeOf()
    const stored: StoredUseCacheEntry = {
      bytes,
      tags: entry.tags,
      stale: entry.stale,
      timestamp: entry.timestamp,
      expire: entry.expire,
      revalidate: entry.revalidate,
    }
    await s.write(USE_CACHE + key, stored, entry.tags, s.ttlMs(entry.expire))
  }

  return {
    async get(cacheKey, softTags) {
      const inFlight = pending.get(cacheKey)
      if (inFlight !== undefined) await inFlight
      const s = storeOf()
      const stored = await s.read<StoredUseCacheEntry>(USE_CACHE + cacheKey)
      if (stored === undefined) {
        // Next renders and sets next: the soft tags' epochs must predate that entry.
        await s.softTagsAllow(softTags, Number.POSITIVE_INFINITY)
        return undefined
      }
      if (!(await s.softTagsAllow(softTags, stored.timestamp))) return undefined
      return {
        value: streamOf(stored.bytes),
        tags: stored.tags,
        stale: stored.stale,
        timestamp: stored.timestamp,
        expire: stored.expire,
        revalidate: stored.revalidate,
      }
    },

    async set(cacheKey, pendingEntry) {
      const write = writeEntry(cacheKey, pendingEntry).catch((error: unknown) => {
        storeOf().satchel.logger.warn(
          { err: error, key: cacheKey },
          'satchel/next: use cache entry not stored',
        )
      })
      pending.set(cacheKey, write)
      try {
        await write
      } finally {
        if (pending.get(cacheKey) === write) pending.delete(cacheKey)
      }
    },

    async refreshTags() {
      // Nothing to pull: invalidations arrive on satchel's bus and as stamps read with entries.
    },

    async getExpiration(_tags) {
      return Number.POSITIVE_INFINITY
    },

    async updateTags(tags, _durations) {
      await storeOf().invalidate(tags)
    },
  }
}
