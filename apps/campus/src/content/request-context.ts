/**
 * Per-request context for attribution: which route a Redis read or a bundle fetch belongs to.
 * AsyncLocalStorage, because the cache's read event fires deep inside satchel where no
 * request object is in reach; satchel emits it in the reader's own async context.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** What the web layer records about the request being served. */
export interface ContentRequestContext {
  /** A route name with no ids in it (`lesson`, `quiz`), so metric labels stay bounded. */
  route: string
  /** Bytes read from Redis while serving this request. */
  redisBytes: number
  /** Bundle reads served from cache / built from the database in this request. */
  bundleHits: number
  bundleMisses: number
}

const storage = new AsyncLocalStorage<ContentRequestContext>()

/** Runs `fn` with a fresh context for `route`. */
export function runWithContentRequest<T>(route: string, fn: () => T): T {
  return storage.run({ route, redisBytes: 0, bundleHits: 0, bundleMisses: 0 }, fn)
}

/** The current request's context, if any. */
export function currentContentRequest(): ContentRequestContext | undefined {
  return storage.getStore()
}
