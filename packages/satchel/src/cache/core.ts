/**
 * State one cache shares between its root and every namespace: L1, L2, tag stamps, stampede
 * locks, in-flight loads, the bus and the per-namespace counters. Namespaces are thin views
 * (`namespace.ts`) over this.
 *
 * ## Key layout (`<p>` = the satchel prefix)
 *
 * ```
 * <key as given>                 root entries (build keys with satchel.keys: <p>:o:..., <p>:g:...)
 * <p>:ns:<name>:<key>            entries of namespace <name> (name escaped like a key part)
 * <p>:ns:<a>:ns:<b>:<key>        nested namespace b inside a
 * <p>:c:tags                     hash: tag → Redis-clock ms of its last invalidation
 * <p>:c:lock:{<full key>}        refresh lock of one key (a miss's lock is a marker in the key)
 * <p>:c:bus                      the bus's pub/sub channel (a channel, not a key)
 * ```
 *
 * Root `clear()` removes `<p>:o:*`, `<p>:g:*`, `<p>:ns:*` and `<p>:c:lock:*` (tag stamps stay); other primitives use
 * other families (`<p>:rl:`, `<p>:lock:`...) and are untouched.
 *
 * @module
 */
import type { SatchelContext } from '../core/context.js'
import { createCacheBus } from './bus/index.js'
import { FirstRead } from './first-read.js'
import { L1 } from './l1.js'
import { L2 } from './l2.js'
import type { ResolvedCacheOptions } from './options.js'
import { StampedeLocks, Waiters } from './stampede-lock.js'
import { NamespaceCounterRegistry, type NamespaceCounters } from './stats.js'
import { TagStamps } from './tags.js'
import type { BusMessage, CacheBus } from './types.js'

/**
 * A read or load in progress on one key, and the key's invalidation count when it started.
 * Reads and loads store their result (L1, and for loads L2) only if nothing invalidated the key
 * meanwhile: otherwise a load that began before a `del` would write the old value back after it,
 * and an L2 read answered before a bus eviction would refill L1 with what the bus just removed.
 */
export interface Watch {
  readonly key: string
  readonly slot: { readers: number; version: number }
  readonly version: number
  readonly era: number
}

/** The shared state of one cache. */
export class CacheCore {
  readonly l1: L1
  readonly l2: L2
  readonly stamps: TagStamps
  readonly locks: StampedeLocks
  readonly waiters = new Waiters()
  /** How `getOrSet` reads Redis first (`GET`, or `READ_OR_LOCK` while misses are common). */
  readonly firstRead = new FirstRead()
  readonly bus: CacheBus | undefined
  /** The satchel prefix. */
  readonly prefix: string
  /** Caller-facing loads in progress, per full key (in-process single-flight). */
  readonly #loads = new Map<string, Promise<unknown>>()
  /** Background loads in progress (SWR, eager refresh, a load outliving its soft timeout). */
  readonly #refreshes = new Map<string, Promise<unknown>>()
  /** Factory signals, aborted on close. */
  readonly #controllers = new Set<AbortController>()
  readonly #counters = new NamespaceCounterRegistry()
  #closed = false
  /** Invalidation counts of keys being read or loaded (entries live only while watched). */
  readonly #watched = new Map<string, { readers: number; version: number }>()
  /** Bumped by invalidations that cover many keys at once (clear, resync). */
  #era = 0
  /** Keys of `set` messages waiting for the end of this turn. */
  #pendingSets: string[] | undefined

  constructor(
    readonly ctx: SatchelContext,
    readonly options: ResolvedCacheOptions,
  ) {
    this.prefix = ctx.keys.prefix
    // `cache` flag off: a pass-through cache (nothing stored, every load runs the factory).
    const enabled = ctx.flags.enabled('cache')
    this.l1 = new L1(options.maxEntries, options.maxBytes, enabled)
    this.stamps = new TagStamps(`${this.prefix}:c:tags`, !ctx.gateway.enabled)
    this.l2 = new L2(ctx, this.stamps, enabled)
    this.locks = new StampedeLocks(ctx.gateway, this.l2, {
      refreshPrefix: `${this.prefix}:c`,
      ttlMs: options.lockTtlMs,
      cluster: this.l2.cluster,
    })
    const unsubscribe: (() => void)[] = []
    if (options.bus && enabled) {
      const bus = createCacheBus(ctx, { channel: `${this.prefix}:c:bus` })
      this.bus = bus
      unsubscribe.push(
        bus.onMessage((message) => this.#onMessage(message)),
        bus.onResync(() => {
          // L1 only: a resync means messages may have been missed, not that L2 changed, so
          // loads in flight still store (their value is as fresh as L2).
          this.l1.clear()
          this.stamps.clear()
        }),
      )
    }
    ctx.onClose(async () => {
      this.#closed = true
      this.locks.stopAll()
      this.waiters.wakeAll()
      for (const controller of this.#controllers) controller.abort()
      this.#controllers.clear()
      for (const off of unsubscribe) off()
      // A closed cache answers nothing from memory, so it should hold none: whoever still
      // references the satchel (a test, a module scope) must not keep its L1 alive.
      this.l1.clear()
      await this.bus?.close().catch(() => {})
    })
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The caller-facing load in progress for `key`, if a new caller may still join it. */
  loadInProgress(key: string): Promise<unknown> | undefined {
    return this.#loads.get(key)
  }

  /**
   * Registers a caller-facing load; the load calls {@link endLoad} when it is done (or an
   * invalidation retires it first).
   */
  trackLoad(key: string, load: Promise<unknown>): void {
    this.#loads.set(key, load)
  }

  /** Unregisters a load unless something replaced or retired it already. */
  endLoad(key: string, load: Promise<unknown>): void {
    if (this.#loads.get(key) === load) this.#loads.delete(key)
  }

  /** The background refresh in progress for `key`, if a new caller may still join it. */
  refreshInProgress(key: string): Promise<unknown> | undefined {
    return this.#refreshes.get(key)
  }

  trackRefresh(key: string, refresh: Promise<unknown>): void {
    track(this.#refreshes, key, refresh)
  }

  /** A signal for one factory call, aborted when the cache closes; pair with {@link endFactory}. */
  startFactory(): AbortController {
    const controller = new AbortController()
    this.#controllers.add(controller)
    return controller
  }

  endFactory(controller: AbortController): void {
    this.#controllers.delete(controller)
  }

  /**
   * The counters of a namespace, created once per name so same-named views share them; bounded
   * (names past the cap share one set, see `NamespaceCounterRegistry`).
   */
  counters(name: string): NamespaceCounters {
    return this.#counters.get(name)
  }

  /** Every namespace's counters (root first). */
  allCounters(): NamespaceCounters[] {
    return this.#counters.all()
  }

  /** Starts watching `key` for invalidations; pair with {@link unwatch}. */
  watch(key: string): Watch {
    let slot = this.#watched.get(key)
    if (slot === undefined) {
      slot = { readers: 0, version: 0 }
      this.#watched.set(key, slot)
    }
    slot.readers++
    return { key, slot, version: slot.version, era: this.#era }
  }

  /** Whether nothing invalidated the key since {@link watch}. */
  current(w: Watch): boolean {
    return w.era === this.#era && w.slot.version === w.version
  }

  unwatch(w: Watch): void {
    if (--w.slot.readers === 0) this.#watched.delete(w.key)
  }

  /**
   * The key changed (deleted, set, evicted by the bus): reads and loads in flight must not store,
   * and callers that start from now on must not join them.
   */
  invalidate(key: string): void {
    const slot = this.#watched.get(key)
    if (slot !== undefined) slot.version++
    this.#loads.delete(key)
    this.#refreshes.delete(key)
  }

  /** Many keys changed (clear, resync, a pattern delete). */
  invalidateAll(): void {
    this.#era++
    this.retireAll()
  }

  /**
   * Callers that start from now on load anew instead of joining a load in flight (tags were
   * invalidated: any load may carry them, including tags its factory adds). The loads in flight
   * still store; their entries carry a `createdAt` before the new stamps, so reads reject them.
   */
  retireAll(): void {
    this.#loads.clear()
    this.#refreshes.clear()
  }

  /**
   * Tells other instances; a no-op without a bus. `set` announcements of one turn of the event
   * loop leave as one message (a burst of misses costs one PUBLISH, not one per key); other
   * kinds leave at once. Receivers only evict and wake, so the order between kinds is free.
   */
  publish(message: BusMessage): void {
    if (this.bus === undefined) return
    if (message.type !== 'set') {
      this.bus.publish(message)
      return
    }
    const pending = this.#pendingSets
    if (pending === undefined || pending.length >= MAX_KEYS_PER_MESSAGE) {
      this.#pendingSets = [...message.keys]
      process.nextTick(flushSets, this, this.#pendingSets)
    } else {
      for (const key of message.keys) pending.push(key)
    }
  }

  /** Sends one turn's `set` keys. Internal to {@link flushSets}. */
  sendSets(keys: string[]): void {
    if (this.#pendingSets === keys) this.#pendingSets = undefined
    this.bus?.publish({ type: 'set', keys })
  }

  /**
   * Another instance changed L2: drop our L1 copies (the next read goes to L2), wake callers
   * waiting for a `set` key, and learn tag stamps.
   */
  #onMessage(message: BusMessage): void {
    switch (message.type) {
      case 'set':
        for (const key of message.keys) {
          this.invalidate(key)
          this.l1.delete(key)
          this.waiters.wake(key)
        }
        break
      case 'delete':
        for (const key of message.keys) {
          this.invalidate(key)
          this.l1.delete(key)
        }
        break
      case 'tags':
        for (const tag of message.tags) this.stamps.apply(tag, message.at)
        break
      case 'clear':
        this.invalidateAll()
        this.l1.deletePrefixes(message.prefixes)
        break
    }
  }
}

/** Most keys one coalesced `set` message carries. */
const MAX_KEYS_PER_MESSAGE = 256

/** `process.nextTick` callback (a plain function: no closure per turn). */
function flushSets(core: CacheCore, keys: string[]): void {
  core.sendSets(keys)
}

/** Keeps `promise` under `key` until it settles, unless something replaced or retired it. */
function track(map: Map<string, Promise<unknown>>, key: string, promise: Promise<unknown>): void {
  map.set(key, promise)
  const done = (): void => {
    if (map.get(key) === promise) map.delete(key)
  }
  promise.then(done, done)
}
