import { InvalidOptionError } from '../core/errors.js'
import type { SatchelEvents } from '../core/events.js'
import type { Cache, WarmEntry, WarmProgress } from './types.js'

/** Options of `cache.warm`. */
export interface WarmOptions {
  /** Loads in flight at once. Keep it well below the database pool size. @default 8 */
  concurrency?: number
  /** Called after each entry settles. A throwing callback is ignored (warming goes on). */
  onProgress?: (progress: WarmProgress) => void
  /**
   * How many failures keep their `{ key, error }` in the result; `failed` still counts them all,
   * so a warm run over millions of keys against a dead database cannot exhaust memory.
   * @default 1000
   */
  maxErrors?: number
}

/** Result of `cache.warm`. */
export interface WarmResult {
  loaded: number
  failed: number
  errors: { key: string; error: unknown }[]
}

/** Default loads in flight. */
export const DEFAULT_WARM_CONCURRENCY = 8

/**
 * Loads entries through `cache.getOrSet` with bounded concurrency. Entries are pulled from the
 * iterable one at a time as slots free up, so a generator over a million rows is never read
 * into memory. A failed entry is recorded (key and error) and warming continues.
 *
 * `total` in the progress reports is the entry count when the input is an array (or has a
 * `length`/`size`); for other iterables it is the number of entries taken so far, and it is
 * final once the iterable is exhausted.
 *
 * Hand-written rather than `p-limit` over a mapped array: the limiter libraries take a list of
 * tasks up front, which is exactly what a lazy source must not be turned into.
 *
 * @example
 * ```ts
 * async function* courses() {
 *   for await (const row of db.courses.stream()) {
 *     yield { key: satchel.keys.org(row.orgId).key('course', row.id), factory: () => row }
 *   }
 * }
 * const { loaded, failed } = await warmCache(satchel.cache, courses(), { concurrency: 4 }, satchel.events)
 * ```
 */
export async function warmCache<T>(
  cache: Pick<Cache, 'getOrSet' | 'name'>,
  entries: Iterable<WarmEntry<T>> | AsyncIterable<WarmEntry<T>>,
  options: WarmOptions,
  events: SatchelEvents,
): Promise<WarmResult> {
  const concurrency = options.concurrency ?? DEFAULT_WARM_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('concurrency', `expected an integer ≥ 1, got ${concurrency}`)
  }
  const maxErrors = options.maxErrors ?? 1000
  const known = knownSize(entries)
  const result: WarmResult = { loaded: 0, failed: 0, errors: [] }
  let taken = 0
  const next = puller(entries)

  const report = (key: string): void => {
    const progress: WarmProgress = {
      done: result.loaded + result.failed,
      total: known ?? taken,
      failed: result.failed,
      key,
    }
    try {
      options.onProgress?.(progress)
    } catch {
      // A progress callback is observability; its bug must not abort the warm run.
    }
    events.emit('cache:warm', { ...progress, namespace: cache.name })
  }

  const worker = async (): Promise<void> => {
    for (;;) {
      const entry = await next()
      if (!entry) return
      taken++
      try {
        await cache.getOrSet(entry.value.key, entry.value.factory, entry.value.options)
        result.loaded++
      } catch (error) {
        result.failed++
        if (result.errors.length < maxErrors) result.errors.push({ key: entry.value.key, error })
      }
      report(entry.value.key)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return result
}

function knownSize(entries: unknown): number | undefined {
  if (Array.isArray(entries)) return entries.length
  const sized = entries as { length?: unknown; size?: unknown }
  if (typeof sized.length === 'number') return sized.length
  if (typeof sized.size === 'number') return sized.size
  return undefined
}

/**
 * A `next()` that is safe to call from several workers: pulls are chained, because calling
 * `next()` on a user's async iterator before the previous call settled is not something every
 * hand-written iterator supports.
 */
function puller<T>(
  entries: Iterable<T> | AsyncIterable<T>,
): () => Promise<{ value: T } | undefined> {
  const iterator =
    Symbol.asyncIterator in entries
      ? (entries as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (entries as Iterable<T>)[Symbol.iterator]()
  let done = false
  let chain: Promise<unknown> = Promise.resolve()
  return () => {
    const pulled = chain.then(async () => {
      if (done) return undefined
      const step = await iterator.next()
      if (step.done) {
        done = true
        return undefined
      }
      return { value: step.value }
    })
    // A throwing iterator ends warming for every worker; the error surfaces from warmCache.
    chain = pulled.catch(() => {
      done = true
    })
    return pulled
  }
}
