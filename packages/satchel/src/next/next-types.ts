/**
 * The parts of Next.js's cache-handler interfaces that satchel/next implements, written out so
 * satchel's published types do not import Next's internal paths (`next/dist/...`), which change
 * between releases. `test/next/next-types.test.ts` checks them against the installed Next's own
 * declarations (Next 16: `server/lib/incremental-cache/index.d.ts` and
 * `server/lib/cache-handlers/types.d.ts`).
 *
 * @module
 */

/** Next's `CacheControl` of a page or route: seconds; `revalidate: false` never revalidates. */
export interface NextCacheControl {
  revalidate: number | false
  expire: number | undefined
}

/**
 * A value the incremental cache stores: an ISR page (`APP_PAGE`, `PAGES`), a route handler's
 * response (`APP_ROUTE`), a `fetch` / `unstable_cache` result (`FETCH`), a redirect or an image.
 * Only the fields satchel reads are typed; the rest (`html`, `rscData`, `segmentData`, `body`, …)
 * travel as they are.
 */
export interface NextCacheValue {
  kind: string
  headers?: Record<string, string | string[] | number | undefined> | undefined
  tags?: string[] | undefined
  revalidate?: number | false | undefined
}

/** What the incremental cache handler's `get` returns. */
export interface NextCacheHandlerValue {
  lastModified: number
  age?: number
  cacheState?: string
  value: NextCacheValue | null
  cacheControl?: NextCacheControl
}

/** The context Next passes to `new CacheHandler(context)`, once per request. */
export interface NextCacheHandlerContext {
  dev?: boolean
  serverDistDir?: string
  revalidatedTags?: string[]
}

/** The second argument of `get`: `FETCH` reads carry the fetch's tags and the route's soft tags. */
export interface NextGetContext {
  kind: string
  tags?: string[]
  softTags?: string[]
}

/** The third argument of `set`: `fetchCache: true` for data cache entries. */
export interface NextSetContext {
  fetchCache?: boolean
  tags?: string[]
  cacheControl?: NextCacheControl
}

/** Next's incremental cache handler: the class named by `cacheHandler` in next.config. */
export interface NextIncrementalCacheHandler {
  get(cacheKey: string, context: NextGetContext): Promise<NextCacheHandlerValue | null>
  set(cacheKey: string, data: NextCacheValue | null, context: NextSetContext): Promise<void>
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>
  resetRequestCache(): void
}

/** The class itself: Next constructs one per request. */
export type NextIncrementalCacheHandlerClass = new (
  context: NextCacheHandlerContext,
) => NextIncrementalCacheHandler

/** One `use cache` entry (Next 16 `cacheHandlers`). Durations in seconds, `timestamp` in ms. */
export interface NextUseCacheEntry {
  value: ReadableStream<Uint8Array>
  tags: string[]
  stale: number
  timestamp: number
  expire: number
  revalidate: number
}

/** A `use cache` handler: the object named by `cacheHandlers.default` / `.remote` in next.config. */
export interface NextUseCacheHandler {
  get(cacheKey: string, softTags: string[]): Promise<undefined | NextUseCacheEntry>
  set(cacheKey: string, pendingEntry: Promise<NextUseCacheEntry>): Promise<void>
  refreshTags(): Promise<void>
  getExpiration(tags: string[]): Promise<number>
  updateTags(tags: string[], durations?: { expire?: number }): Promise<void>
}
