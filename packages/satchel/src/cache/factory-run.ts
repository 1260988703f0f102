/**
 * One factory call: runs it with its context (signal, `setTtl`, `setTags`, `skip`), applies the
 * hard timeout, stores the value unless something invalidated the key meanwhile, and ends the
 * stampede lock after the write.
 *
 * @module
 */
import { parseDuration } from '../core/duration.js'
import { FactoryError, FactoryTimeoutError } from '../core/errors.js'
import type { Watch } from './core.js'
import type { Entry } from './entry.js'
import type { ResolvedCallOptions } from './options.js'
import type { HeldLock } from './stampede-lock.js'
import { prepareEntry } from './store.js'
import type { Factory, FactoryContext } from './types.js'
import type { LoadTarget } from './validity.js'

/** One `getOrSet` call as the load path sees it. */
export interface LoadCall<T> {
  /** The key with its namespace base. */
  readonly full: string
  /** The key as the caller gave it (errors and the factory context use it). */
  readonly key: string
  readonly factory: Factory<T>
  readonly o: ResolvedCallOptions<T>
}

/** How a factory call runs and stores. */
export interface FactoryPlan {
  /** The stampede lock this call holds: the write is guarded by it and ends it. */
  readonly lock?: HeldLock | undefined
  /**
   * Without a lock of ours: what the key must still hold for the write to land (the marker of a
   * holder we stopped waiting for), so a `del` or `set` meanwhile still wins.
   */
  readonly guard?: Buffer | string | undefined
  /** When the data is read: the entry's `createdAt` (tag stamps compare against it). */
  readonly createdAt: number
  /**
   * Redis just answered: the caller waits for the L2 write (bounded by `commandMs`), so a value
   * `getOrSet` returned is readable by every other client. After a failed read the write runs in
   * the background instead: a hung Redis must not add a second `commandMs` to the load.
   */
  readonly awaitWrite: boolean
  /** The value being refreshed: handed to the factory, never served from here. */
  readonly stale?: Entry | undefined
  /** What is left of `timeout.hard` (time spent waiting for the lock comes off it). */
  readonly hardMs?: number | undefined
}

/**
 * Runs the factory once. Fail-safe (serving a stale value) is the caller's call: a refresh's
 * caller already has the stale value, and a miss has none.
 */
export function runFactory<T>(t: LoadTarget, call: LoadCall<T>, plan: FactoryPlan): Promise<T> {
  return new FactoryRun(t, call, plan).run()
}

class FactoryRun<T> {
  readonly #t: LoadTarget
  readonly #call: LoadCall<T>
  readonly #plan: FactoryPlan
  /** A `del`, `set` or bus eviction of the key while the factory runs: do not store. */
  readonly #watch: Watch
  /** Created on first use of `ctx.signal` (most factories never read it). */
  #controller: AbortController | undefined
  #ttlOverride: number | undefined
  #graceOverride: number | undefined
  #extraTags: string[] | undefined
  #skipped = false

  constructor(t: LoadTarget, call: LoadCall<T>, plan: FactoryPlan) {
    this.#t = t
    this.#call = call
    this.#plan = plan
    this.#watch = t.core.watch(call.full)
  }

  /** Why the factory was told to stop (hard timeout) before it first read its signal. */
  #abortReason: unknown

  #signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = this.#t.core.startFactory()
      this.#controller = controller
      if (this.#abortReason !== undefined) controller.abort(this.#abortReason)
      else if (this.#t.core.closed) controller.abort()
    }
    return this.#controller.signal
  }

  run(): Promise<T> {
    const { counters: c } = this.#t
    const { o, key } = this.#call
    c.factoryCalls++
    let produced: Promise<T>
    try {
      produced = Promise.resolve(this.#call.factory(this.#context()))
    } catch (error) {
      produced = Promise.reject(error)
    }
    let written: Promise<boolean> | undefined
    const stored = produced.then((value) => {
      written = this.#store(value)
      if (!this.#plan.awaitWrite) return value
      // A value that is not stored (shouldCache, skip, an invalidation) still releases the key's
      // loading marker before the caller gets it: left behind, the marker would make readers in
      // every process wait on a load that has already ended, until the lock expires.
      const settled = written ?? this.#plan.lock?.finish(false)
      return settled === undefined ? value : settled.then(() => value)
    })
    const finish = (): void => {
      if (this.#controller !== undefined) this.#t.core.endFactory(this.#controller)
      if (written === undefined) this.#end(false)
      else void written.then((ok) => this.#end(ok))
    }
    stored.then(finish, finish)

    const failSafe = (error: unknown): T => {
      c.factoryErrors++
      throw new FactoryError(key, { cause: error })
    }
    const hardMs = this.#plan.hardMs ?? o.hardMs
    if (hardMs === undefined) return stored.then(undefined, failSafe)
    return new Promise<T>((resolve, reject) => {
      let settled = false
      const timer = setTimeout(() => {
        settled = true
        c.factoryTimeouts++
        const error = new FactoryTimeoutError(key, o.hardMs ?? hardMs)
        this.#abortReason = error
        this.#controller?.abort(error)
        // Stop holding the key for a factory nobody waits for any more: other processes may load.
        void this.#plan.lock?.finish(false)
        reject(error)
      }, hardMs)
      stored.then(
        (value) => {
          clearTimeout(timer)
          if (!settled) resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          if (settled) {
            c.factoryErrors++
            return
          }
          try {
            resolve(failSafe(error))
          } catch (e) {
            reject(e)
          }
        },
      )
    })
  }

  #context(): FactoryContext<T> {
    const run = this
    return {
      key: this.#call.key,
      stale: this.#plan.stale?.value as T | undefined,
      get signal() {
        return run.#signal()
      },
      setTtl: (ttl, options) => {
        this.#ttlOverride = parseDuration(ttl, 'setTtl')
        if (options?.grace !== undefined) {
          this.#graceOverride = parseDuration(options.grace, 'setTtl.grace')
        }
      },
      setTags: (tags) => {
        this.#extraTags = [...(this.#extraTags ?? []), ...tags]
      },
      skip: () => {
        this.#skipped = true
      },
    }
  }

  /** Starts the write, or undefined when the value must not be stored. */
  #store(value: T): Promise<boolean> | undefined {
    const { core } = this.#t
    const { o, full } = this.#call
    if (this.#skipped || core.closed || !core.current(this.#watch)) return undefined
    if (o.shouldCache !== undefined && !o.shouldCache(value)) return undefined
    const extra = this.#extraTags
    const tags = extra === undefined ? o.tags : [...new Set([...(o.tags ?? []), ...extra])]
    let prepared: ReturnType<typeof prepareEntry>
    try {
      prepared = prepareEntry(this.#t, {
        full,
        value,
        o,
        createdAt: this.#plan.createdAt,
        tags,
        ttlOverride: this.#ttlOverride,
        graceOverride: this.#graceOverride,
      })
    } catch (error) {
      this.#logFailure(error)
      return undefined
    }
    if (prepared === undefined) return undefined
    return this.#write(prepared).catch((error: unknown) => {
      this.#logFailure(error)
      return false
    })
  }

  async #write(p: NonNullable<ReturnType<typeof prepareEntry>>): Promise<boolean> {
    const { core, counters: c } = this.#t
    const { o, full } = this.#call
    const guard = this.#plan.lock?.guard ?? this.#plan.guard
    // Unguarded (no distributed lock): L1 first, as `set` does. Guarded: L1 only once Redis
    // took the value, so a write refused because the key changed leaves nothing behind here.
    if (guard === undefined) {
      if (o.l1) core.l1.set(full, p.entry, c)
      else core.l1.delete(full)
    }
    const ok = await core.l2.write({ key: full, buf: p.buf, pxMs: p.pxMs, guard }, c)
    if (guard !== undefined && ok && core.current(this.#watch)) {
      if (o.l1) core.l1.set(full, p.entry, c)
      else core.l1.delete(full)
    }
    if (ok) core.publish({ type: 'set', keys: [full] })
    return ok
  }

  /** Ends the watch and the lock once the write (if any) is done. */
  #end(stored: boolean): void {
    this.#t.core.unwatch(this.#watch)
    void this.#plan.lock?.finish(stored)
  }

  #logFailure(error: unknown): void {
    this.#t.core.ctx.logger.warn(
      { key: this.#call.full, err: String(error) },
      'cache: storing a value failed',
    )
  }
}
