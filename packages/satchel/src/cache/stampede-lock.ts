/**
 * The distributed stampede lock: on a miss, one process across the fleet runs the factory.
 * Built on the lock module's backend (`lock/`): its release and extend scripts, its lock handle
 * and its keep-alive timer; only the acquisition is the cache's own.
 *
 * - **Load lock.** The lock lives in the entry's own key: `READ_OR_LOCK` reads the key and, when
 *   it is absent, writes the caller's loading marker there (`SET PX lockTtl`), in one round
 *   trip. The holder stores its value with a compare-and-set on its marker. So anything that
 *   changes the key meanwhile (`del`, `set`, `delPattern`, `clear`, in any process) removes the
 *   marker, and the load that began before it cannot write its older value back. Readers see a
 *   marker as "a load in progress": `get` and `mget` treat it as a miss, `getOrSet` waits.
 * - **Refresh lock.** A stale entry must stay servable while it is refreshed, so a refresh
 *   locks `<prefix>:c:lock:{<key>}` with the lock module's acquire script, and stores with a
 *   compare-and-set on the entry it read after taking the lock.
 * - The holder extends its lock every third of `lockTtl` (`keepLock`), so a slow factory keeps
 *   it and a dead holder loses it within one `lockTtl`.
 * - Waiters are woken by the bus's `set` message for the key, or poll with backoff
 *   (10 → 100 ms, never past the holder's lock expiry); if the marker vanished without a value
 *   (the holder died, its factory failed, or the key was deleted) the next poll takes the lock.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { RedisCommandError } from '../core/errors.js'
import type { RedisGateway } from '../core/redis-gateway.js'
import { evalScriptBuffer } from '../core/scripts.js'
import { keepLock, type LockKeeper } from '../lock/auto-extend.js'
import { type LockTarget, lockTarget } from '../lock/keys.js'
import { LockHandle } from '../lock/lock.js'
import { RedisLockBackend } from '../lock/redis-backend.js'
import { TurnBatcher } from './batch.js'
import type { L2 } from './l2.js'
import { READ_OR_LOCK } from './scripts.js'

/** Starts every loading marker; never the first byte of an encoded value (see `core/codec.ts`). */
const MARKER_PREFIX = '~satchel:loading:'
const MARKER_LENGTH = MARKER_PREFIX.length + 36
const MARKER_FIRST = MARKER_PREFIX.charCodeAt(0)

/** Whether stored bytes are a loading marker rather than a value. */
export function isLoadMarker(buf: Buffer): boolean {
  return (
    buf[0] === MARKER_FIRST &&
    buf.length === MARKER_LENGTH &&
    buf.toString('latin1', 0, MARKER_PREFIX.length) === MARKER_PREFIX
  )
}

/** A held lock (load or refresh). */
export interface HeldLock {
  /** What the key must still hold for the holder's write to land (`L2Write.guard`). */
  readonly guard: Buffer | string | undefined
  /**
   * Ends the hold: stops the keep-alive, and deletes the lock unless `stored` (a load lock's
   * marker was replaced by the value). Idempotent; never throws.
   */
  finish(stored: boolean): Promise<void>
}

/** One `READ_OR_LOCK` answer. */
export type LoadAttempt =
  /** The key was absent: we hold it. `serverMs` dates the load (Redis clock). */
  | { readonly kind: 'acquired'; readonly lock: HeldLock; readonly serverMs: number }
  /** The key holds something: a value (any freshness) or another loader's marker. */
  | { readonly kind: 'found'; readonly buf: Buffer; readonly pttl: number }
  /** The key holds another Redis type: load without the lock (the write replaces it). */
  | { readonly kind: 'foreign' }
  /** Redis could not answer. */
  | { readonly kind: 'unavailable' }

type RawReply = [0, number] | [1, Buffer, number] | [2]

/** Stampede locks of one cache. */
export class StampedeLocks {
  readonly #gateway: RedisGateway
  readonly #backend: RedisLockBackend
  /** `<prefix>:c`, under which refresh locks live (`<prefix>:c:lock:{<key>}`). */
  readonly #refreshPrefix: string
  readonly #ttlMs: number
  readonly #keepers = new Set<LockKeeper>()
  readonly #batch: TurnBatcher<[string, string], RawReply>
  readonly #cluster: boolean

  readonly #l2: L2

  constructor(
    gateway: RedisGateway,
    l2: L2,
    options: { refreshPrefix: string; ttlMs: number; cluster: boolean },
  ) {
    this.#gateway = gateway
    this.#l2 = l2
    this.#backend = new RedisLockBackend(gateway, options.ttlMs)
    this.#refreshPrefix = options.refreshPrefix
    this.#ttlMs = options.ttlMs
    this.#cluster = options.cluster
    this.#batch = new TurnBatcher((items) => this.#send(items))
  }

  /**
   * Reads `key` and takes its load lock if it is absent, in one round trip (coalesced with the
   * other attempts of the same turn on a single server).
   */
  async readOrLock(key: string): Promise<LoadAttempt> {
    const marker = MARKER_PREFIX + randomUUID()
    const sentAt = Date.now()
    let reply: RawReply
    try {
      reply = this.#cluster
        ? ((await this.#send([[key, marker]]))[0] as RawReply)
        : await this.#batch.add([key, marker])
    } catch (error) {
      return error instanceof RedisCommandError ? { kind: 'foreign' } : { kind: 'unavailable' }
    }
    if (reply[0] === 1) return { kind: 'found', buf: reply[1], pttl: reply[2] }
    if (reply[0] === 2) return { kind: 'foreign' }
    return {
      kind: 'acquired',
      lock: this.#hold(entryTarget(key), marker, sentAt, true),
      serverMs: reply[1],
    }
  }

  #send(items: [string, string][]): Promise<RawReply[]> {
    const keys = items.map((i) => i[0])
    const args: (string | number)[] = [this.#ttlMs]
    for (const i of items) args.push(i[1])
    return this.#gateway.exec(
      'cache.lock',
      (r) => evalScriptBuffer(r, READ_OR_LOCK, keys, args) as Promise<RawReply[]>,
    )
  }

  /**
   * Takes the load lock of a key that holds something unusable (an entry its tags invalidated,
   * bytes that are not an envelope): the marker replaces exactly `found`. Undefined when the key
   * changed meanwhile or Redis could not answer.
   */
  async replace(key: string, found: Buffer): Promise<HeldLock | undefined> {
    const marker = MARKER_PREFIX + randomUUID()
    const sentAt = Date.now()
    try {
      const replaced = await this.#l2.compareAndSet({
        key,
        guard: found,
        buf: Buffer.from(marker, 'latin1'),
        pxMs: this.#ttlMs,
      })
      if (replaced) return this.#hold(entryTarget(key), marker, sentAt, true)
    } catch {
      // Unavailable: the caller loads without the lock.
    }
    return undefined
  }

  /**
   * Takes the refresh lock of `key`: `held` when another process refreshes it.
   * The lock's guard is set by the caller once it has read the entry it replaces.
   */
  async tryRefresh(key: string): Promise<RefreshLock | 'held' | 'unavailable'> {
    const target = lockTarget(this.#refreshPrefix, key)
    const token = randomUUID()
    const sentAt = Date.now()
    let fence: number
    try {
      fence = await this.#backend.tryAcquire(target, token, this.#ttlMs)
    } catch {
      return 'unavailable'
    }
    if (fence === 0) return 'held'
    const held = this.#hold(target, token, sentAt, false)
    return {
      guard: undefined,
      finish: (stored) => held.finish(stored),
    }
  }

  #hold(target: LockTarget, token: string, sentAt: number, inKey: boolean): HeldLock {
    const handle = new LockHandle(this.#backend, target, token, 0, this.#ttlMs, sentAt)
    // A lost lock needs no action here: the holder's compare-and-set write then fails.
    const keeper = keepLock(handle, true, () => {})
    this.#keepers.add(keeper)
    let finished = false
    return {
      guard: inKey ? token : undefined,
      finish: async (stored) => {
        if (finished) return
        finished = true
        this.#keepers.delete(keeper)
        await keeper.stop()
        // A load lock's marker was replaced by the value: nothing left to delete.
        if (!(inKey && stored)) await handle.release().catch(() => {})
      },
    }
  }

  /**
   * Stops every keep-alive without releasing: on close, a factory may still be running here,
   * so the locks are left to expire rather than handed to another process mid-load.
   */
  stopAll(): void {
    for (const keeper of this.#keepers) void keeper.stop()
    this.#keepers.clear()
  }
}

/** A refresh lock; its guard (the entry read under it) is filled in by the refresh. */
export interface RefreshLock extends HeldLock {
  guard: Buffer | string | undefined
}

/** A load lock's target: the entry's own key (release and extend compare its marker). */
function entryTarget(key: string): LockTarget {
  return { resource: key, key, fenceKey: key }
}

/** Callers waiting for another process's load of a key; woken by the bus or a timer. */
export class Waiters {
  readonly #byKey = new Map<string, Set<() => void>>()

  /** Resolves on `wake(key)` or after `ms`, whichever comes first. */
  wait(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.#byKey.get(key)
      if (set === undefined) {
        set = new Set()
        this.#byKey.set(key, set)
      }
      const group = set
      const done = (): void => {
        clearTimeout(timer)
        group.delete(done)
        if (group.size === 0 && this.#byKey.get(key) === group) this.#byKey.delete(key)
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref()
      group.add(done)
    })
  }

  wake(key: string): void {
    const set = this.#byKey.get(key)
    if (set === undefined) return
    for (const done of [...set]) done()
  }

  wakeAll(): void {
    for (const key of [...this.#byKey.keys()]) this.wake(key)
  }
}
