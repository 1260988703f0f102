import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Per-request memoisation on AsyncLocalStorage: inside `run(fn)`, `memo(key, loader)` loads
 * each key once, however many components ask for it and however they interleave.
 *
 * Semantics (chosen, and tested):
 * - concurrent `memo` calls for one key share one promise: one load;
 * - a load that rejects is not kept: every caller already waiting gets the rejection, and the
 *   next `memo` call loads again (a transient database error must not poison the request);
 * - `run` always opens a fresh scope; a nested `run` does not see the outer one's values, and
 *   the outer scope is back in force when it returns;
 * - outside any `run`, `memo` just calls the loader (no caching, no error), so library code can
 *   use it unconditionally.
 *
 * @example
 * ```ts
 * // Hono: one scope per request
 * app.use('*', (c, next) => requestScope.run(() => next()))
 * // anywhere below, any number of times per request:
 * const org = await requestScope.memo(`org:${orgId}`, () => db.findOrg(orgId))
 * ```
 */
export class RequestScope {
  readonly #storage = new AsyncLocalStorage<Map<string, Promise<unknown>>>()

  /**
   * Runs `fn` in a new scope and returns its result (a promise stays in scope until it settles,
   * and so does everything it awaits).
   * @example await requestScope.run(() => handle(request))
   */
  run<T>(fn: () => T): T {
    return this.#storage.run(new Map(), fn)
  }

  /**
   * The value for `key` in the current scope, loading it on first use.
   * @example const user = await requestScope.memo(`user:${id}`, () => db.findUser(id))
   */
  memo<T>(key: string, loader: () => Promise<T> | T): Promise<T> {
    const store = this.#storage.getStore()
    if (store === undefined) return Promise.resolve().then(loader)
    const known = store.get(key)
    if (known !== undefined) return known as Promise<T>
    // Started on a microtask, so a loader that throws synchronously rejects like an async one.
    const loading = Promise.resolve().then(loader)
    store.set(key, loading)
    loading.catch(() => {
      // Only forget this attempt: a later successful load for the key may already be stored.
      if (store.get(key) === loading) store.delete(key)
    })
    return loading
  }

  /**
   * Drops `key` from the current scope, e.g. after this request changed the row it caches.
   * @example await db.renameOrg(orgId, name); requestScope.forget(`org:${orgId}`)
   */
  forget(key: string): void {
    this.#storage.getStore()?.delete(key)
  }

  /**
   * Whether the caller runs inside `run`.
   * @example if (!requestScope.active) log.debug('memo without a request scope: no memoisation')
   */
  get active(): boolean {
    return this.#storage.getStore() !== undefined
  }
}

/**
 * The process-wide request scope. Standalone: needs no satchel instance or Redis.
 * @example
 * ```ts
 * import { requestScope } from 'satchel'
 * app.use('*', (c, next) => requestScope.run(() => next()))
 * ```
 */
export const requestScope = new RequestScope()
