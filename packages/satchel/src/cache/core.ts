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
 * <p>:c:tags                     hash: tag → epoch ms of its last invalidation
 * <p>:c:lock:<full key>          stampede lock of one key
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
import { L1 } from './l1.js'
import { L2 } from './l2.js'
import type { ResolvedCacheOptions } from './options.js'
import { StampedeLocks, Waiters } from './stampede-lock.js'
import { NamespaceCounters } from './stats.js'
import { TagStamps } from './tags.js'
import type { BusMessage, CacheBus } from './types.js'

/** The shared state of one cache. */
export class CacheCore {
  readonly l1: L1
  readonly l2: L2
  readonly stamps: TagStamps
  readonly locks: StampedeLocks
  readonly waiters = new Waiters()
  readonly bus: CacheBus | undefined
  /** Caller-facing loads in progress, per full key (in-process single-flight). */
  readonly inflight = new Map<string, Promise<unknown>>()
  /** Background loads in progress (SWR, eager refresh, a load outliving its soft timeout). */
  readonly refreshing = new Map<string, Promise<unknown>>()
  /** Factory signals, aborted on close. */
  readonly controllers = new Set<AbortController>()
  readonly #counters = new Map<string, NamespaceCounters>()
  /** The satchel prefix. */
  readonly prefix: string
  closed = false

  constructor(
    readonly ctx: SatchelContext,
    readonly options: ResolvedCacheOptions,
  ) {
    this.prefix = ctx.keys.prefix
    // `cache` flag off: a pass-through cache (nothing stored, every load runs the factory).
    const enabled = ctx.flags.enabled('cache')
    this.l1 = new L1(options.maxEntries, options.maxBytes, enabled)
    this.stamps = new TagStamps(`${this.prefix}:c:tags`, !ctx.gateway.enabled)
    this.l2 = new L2(ctx.gateway, ctx.codec, ctx.events, this.stamps, enabled)
    this.locks = new StampedeLocks(ctx.gateway, `${this.prefix}:c:lock:`, options.lockTtlMs)
    const unsubscribe: (() => void)[] = []
    if (options.bus && enabled) {
      const bus = createCacheBus(ctx, { channel: `${this.prefix}:c:bus` })
      this.bus = bus
      unsubscribe.push(
        bus.onMessage((message) => this.#onMessage(message)),
        bus.onResync(() => {
          this.l1.clear()
          this.stamps.clear()
        }),
      )
    }
    ctx.onClose(async () => {
      this.closed = true
      this.locks.stopAll()
      this.waiters.wakeAll()
      for (const controller of this.controllers) controller.abort()
      this.controllers.clear()
      for (const off of unsubscribe) off()
      await this.bus?.close().catch(() => {})
    })
  }

  /** The counters of a namespace, created once per name so same-named views share them. */
  counters(name: string): NamespaceCounters {
    let c = this.#counters.get(name)
    if (c === undefined) {
      c = new NamespaceCounters(name)
      this.#counters.set(name, c)
    }
    return c
  }

  /** Every namespace's counters (root first). */
  allCounters(): NamespaceCounters[] {
    return [...this.#counters.values()]
  }

  /** Tells other instances; a no-op without a bus. */
  publish(message: BusMessage): void {
    this.bus?.publish(message)
  }

  /**
   * Another instance changed L2: drop our L1 copies (the next read goes to L2), wake callers
   * waiting for a `set` key, and learn tag stamps.
   */
  #onMessage(message: BusMessage): void {
    switch (message.type) {
      case 'set':
        for (const key of message.keys) {
          this.l1.delete(key)
          this.waiters.wake(key)
        }
        break
      case 'delete':
        for (const key of message.keys) this.l1.delete(key)
        break
      case 'tags':
        for (const tag of message.tags) this.stamps.apply(tag, message.at)
        break
      case 'clear':
        this.l1.deletePrefixes(message.prefixes)
        break
    }
  }
}
