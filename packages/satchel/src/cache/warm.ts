// Placeholder: replaced by the warmer implementation.
import type { SatchelEvents } from '../core/events.js'
import type { Cache, WarmEntry, WarmProgress } from './types.js'

/** Options of `cache.warm`. */
export interface WarmOptions {
  concurrency?: number
  onProgress?: (progress: WarmProgress) => void
}

/** Result of `cache.warm`. */
export interface WarmResult {
  loaded: number
  failed: number
  errors: { key: string; error: unknown }[]
}

/** Loads entries through `cache.getOrSet` with bounded concurrency. */
export async function warmCache<T>(
  _cache: Pick<Cache, 'getOrSet' | 'name'>,
  _entries: Iterable<WarmEntry<T>> | AsyncIterable<WarmEntry<T>>,
  _options: WarmOptions,
  _events: SatchelEvents,
): Promise<WarmResult> {
  throw new Error('warm: not implemented')
}
