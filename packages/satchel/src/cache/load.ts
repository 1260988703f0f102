/**
 * The slow path of `getOrSet`: everything after an L1 fresh hit. One load per key per process
 * (single-flight), one per key across processes (stampede lock), stale-while-revalidate, soft
 * and hard timeouts, fail-safe. Each call is one {@link Load} object.
 *
 * ```
 * L1 fresh ──────────────────────────────────────────────► value   (namespace.ts, no await)
 * L1 stale, refresh running ─────────────────────────────► stale
 * load in flight for key (not retired by an invalidation) ► join it
 * GET (coalesced into one MGET per turn), or READ_OR_LOCK when misses are common (first-read.ts)
 *   fresh ──────────────────────────────────────────────► value (+ L1)
 *   stale within grace:
 *     no soft timeout ── refresh in background (refresh.ts) ► stale now
 *     soft timeout ───── refresh; fresh value if it beats `soft`, else stale
 *   Redis down ─ stale L1 copy, else factory (write in the background)
 *   miss, lock 'local' / false ─ factory
 *   miss, lock 'distributed' ─ READ_OR_LOCK (reads again; takes the lock if the key is absent)
 *     absent: we hold the lock ─ factory ─ compare-and-set on our marker
 *     another loader's marker ─ wait (bus `set`, 10→100 ms poll or lock expiry) ─ READ_OR_LOCK
 *     a value ─ it (the holder finished meanwhile)
 *     unusable (tags invalidated, not an envelope) ─ swap it for our marker ─ factory
 * ```
 *
 * A hit is one GET. A miss is three round trips (GET, READ_OR_LOCK, the guarded write), or two
 * while misses are common, when the first read is READ_OR_LOCK itself (see `first-read.ts`);
 * under concurrency each of them is one command per turn of the event loop for all callers
 * (MGET, one READ_OR_LOCK call over many keys, one compare-and-set call over many keys), and the
 * bus announces the writes of a turn in one message.
 *
 * @module
 */
import { FactoryTimeoutError } from '../core/errors.js'
import { settleWithin } from '../core/settle-within.js'
import type { Watch } from './core.js'
import type { Entry } from './entry.js'
import { type FactoryPlan, type LoadCall, runFactory } from './factory-run.js'
import { L2_DOWN, type L2Read } from './l2.js'
import { raceSoft, refresh } from './refresh.js'
import { type HeldLock, isLoadMarker, type LoadAttempt } from './stampede-lock.js'
import { eagerDue, isValid, type LoadTarget } from './validity.js'

export type { LoadCall } from './factory-run.js'

/** Starts (or joins) the slow path for `call.full`. */
export function getOrLoad<T>(t: LoadTarget, call: LoadCall<T>): Promise<T> {
  const { core, counters: c } = t
  const { full, o } = call
  let stale: Entry | undefined
  if (o.l1) {
    const e = core.l1.peek(full)
    if (e !== undefined) {
      const valid = core.stamps.check(e)
      const now = Date.now()
      if (valid === false || now >= e.staleUntil) core.l1.delete(full)
      else if (valid === true) {
        if (now < e.freshUntil) {
          // A fresh hit that reached the slow path: eager refresh is due.
          c.l1Hits++
          if (o.eagerRefresh !== undefined && eagerDue(e, o.eagerRefresh, now)) {
            void refresh(t, call, e)
          }
          return Promise.resolve(e.value as T)
        }
        stale = e
        if (core.refreshInProgress(full) !== undefined) {
          c.staleServed++
          return Promise.resolve(e.value as T)
        }
      }
    }
  }
  // `lock: false`: no stampede protection at all, every caller runs the factory.
  if (o.lock === false) return new Load(t, call, stale).start(false)
  const pending = core.loadInProgress(full)
  if (pending !== undefined) {
    c.lockWaits++
    // The load belongs to the first caller and stores by its options; a joiner's own hard
    // timeout still bounds how long this caller waits.
    const hardMs = o.hardMs
    if (hardMs === undefined) return pending as Promise<T>
    return settleWithin(pending as Promise<T>, hardMs, () => {
      c.factoryTimeouts++
      return new FactoryTimeoutError(call.key, hardMs)
    })
  }
  return new Load(t, call, stale).start(true)
}

/** What one read of the key says to do next. */
type Step =
  | { readonly kind: 'hit'; readonly entry: Entry }
  | { readonly kind: 'stale'; readonly entry: Entry }
  | { readonly kind: 'load'; readonly plan: FactoryPlan }
  | { readonly kind: 'wait'; readonly expiresInMs: number; readonly marker: Buffer }

/** One `getOrSet` past L1: its key, options, invalidation watch, lock and outcome. */
class Load<T> {
  readonly #t: LoadTarget
  readonly #call: LoadCall<T>
  /** A servable stale copy from L1, if any. */
  #stale: Entry | undefined
  /**
   * Set while the load runs when the call uses L1, which is filled only while nothing
   * invalidated the key. Without L1 a read has nothing to guard (the factory's write has a watch
   * of its own), so a hit skips the registration.
   */
  #watch: Watch | undefined
  readonly #started = Date.now()
  /** Counted once in `lockWaits`, however many polls. */
  #waited = false
  /** This load's promise while callers may join it (see {@link start}). */
  #joinable: Promise<T> | undefined
  #ended = false
  /** The resolvers of the promise {@link start} returns to the caller. */
  #resolveCaller!: (value: T) => void
  #rejectCaller!: (error: unknown) => void
  /** The first read's sampled start (see `L2.readStart`). */
  #readStart = -1
  /**
   * Whether this call's first read counts for the first-read policy (`first-read.ts`): an
   * untagged read under the distributed lock, the only kind that may read with READ_OR_LOCK.
   */
  #eligible = false

  constructor(t: LoadTarget, call: LoadCall<T>, stale: Entry | undefined) {
    this.#t = t
    this.#call = call
    this.#stale = stale
  }

  /**
   * Starts the load; with `joinable`, later callers for the key join it until it ends.
   *
   * The first read settles the caller's promise from the read's own callbacks, and the load
   * unregisters itself when it ends: a fresh hit, the common case, runs no async function and
   * chains no promise of its own. Anything else continues in {@link #continue}.
   */
  start(joinable: boolean): Promise<T> {
    const { core, counters: c } = this.#t
    const { o, full } = this.#call
    const p = new Promise<T>((resolve, reject) => {
      this.#resolveCaller = resolve
      this.#rejectCaller = reject
    })
    if (o.l1) this.#watch = core.watch(full)
    const l2 = core.l2
    if (!l2.enabled) {
      // Memory-only (or the `cache` flag off): the factory still starts after this call returns.
      void Promise.resolve(L2_DOWN).then((read) => this.#onRead(read))
    } else if (o.tags === undefined) {
      this.#readStart = l2.readStart()
      this.#eligible = o.lock === 'distributed'
      if (this.#eligible && core.firstRead.lockFirst) {
        // Misses are common: read and, if the key is absent, lock in one round trip.
        void core.locks.readOrLock(full).then(
          (attempt) => this.#onLockRead(attempt),
          (error) => this.#abort(error),
        )
      } else {
        // Inline arrows, not named consts or fields: see `RedisGateway.#send`.
        l2.fetch(
          full,
          (buf) => this.#onBytes(buf),
          (error) => this.#onRead(l2.failed(error, c)),
        )
      }
    } else {
      // With tags the stamps are read in the same round trip.
      void l2.read(full, o.tags, c).then(
        (read) => this.#onRead(read),
        (error) => this.#abort(error),
      )
    }
    if (joinable && !this.#ended) {
      this.#joinable = p
      core.trackLoad(full, p)
    }
    return p
  }

  #onBytes(buf: Buffer | null): void {
    let read: L2Read
    try {
      read = this.#t.core.l2.received(this.#call.full, buf, this.#t.counters, this.#readStart)
    } catch (error) {
      // Decoding reports malformed bytes as a miss; this is a bug: fail the call, not the batch.
      this.#abort(error)
      return
    }
    this.#onRead(read)
  }

  /** The first read's answer: a fresh untagged hit is settled here, the rest continues. */
  #onRead(read: L2Read): void {
    const { o } = this.#call
    if (read !== null && read !== L2_DOWN && read.tags === undefined) {
      if (Date.now() < read.freshUntil && o.eagerRefresh === undefined) {
        this.#t.counters.l2Hits++
        if (this.#eligible) this.#t.core.firstRead.record(false)
        try {
          this.#keep(read)
        } catch (error) {
          this.#abort(error)
          return
        }
        this.#end()
        this.#resolveCaller(read.value as T)
        return
      }
    }
    void this.#continue(this.#afterRead(read))
  }

  /** The answer of a first read made with READ_OR_LOCK. */
  #onLockRead(attempt: LoadAttempt): void {
    this.#t.core.l2.sampled(this.#t.counters, this.#readStart)
    void this.#continue(this.#lockRead(attempt, true))
  }

  /** Fails the call from a callback (which must not throw: it may be answering a batch). */
  #abort(error: unknown): void {
    this.#end()
    this.#rejectCaller(error)
  }

  /** Everything after the first read that is not a fresh untagged hit. */
  async #continue(first: Promise<Step>): Promise<void> {
    try {
      this.#resolveCaller(await this.#resolve(await first))
    } catch (error) {
      this.#rejectCaller(error)
    } finally {
      this.#end()
    }
  }

  /** The load is over: stop watching the key and let new callers start their own load. */
  #end(): void {
    if (this.#ended) return
    this.#ended = true
    if (this.#watch !== undefined) this.#t.core.unwatch(this.#watch)
    if (this.#joinable !== undefined) this.#t.core.endLoad(this.#call.full, this.#joinable)
  }

  /** Acts on a step; waiting loops back to another read until a value or a lock comes. */
  async #resolve(first: Step): Promise<T> {
    let step = first
    let delay = 10
    for (;;) {
      switch (step.kind) {
        case 'hit':
          return step.entry.value as T
        case 'stale':
          return this.#serveStale(step.entry)
        case 'load':
          return runFactory(this.#t, this.#call, step.plan)
        case 'wait': {
          const next = await this.#waitTurn(step, delay)
          if (next !== undefined) return runFactory(this.#t, this.#call, next)
          delay = Math.min(100, delay * 2)
          step = await this.#lockRead(await this.#t.core.locks.readOrLock(this.#call.full))
        }
      }
    }
  }

  /**
   * After the first read, a plain GET (coalesced): the cheapest hit. Only a miss under the
   * distributed lock goes on to READ_OR_LOCK, which reads again and takes the lock in one round
   * trip.
   */
  async #afterRead(read: L2Read): Promise<Step> {
    const { core } = this.#t
    const { o, full } = this.#call
    const r: L2Read =
      read === null || read === L2_DOWN || read.tags === undefined
        ? read
        : (await isValid(this.#t, read, o.tags !== undefined))
          ? read
          : null
    if (r === L2_DOWN) return this.#degraded()
    if (r !== null) {
      const step = this.#entryStep(r, true)
      if (step !== undefined) {
        this.#found()
        return step
      }
    }
    this.#missed()
    if (o.lock === 'distributed' && core.l2.enabled) {
      return this.#lockRead(await core.locks.readOrLock(full))
    }
    return this.#loadUnlocked(true)
  }

  /**
   * Turns a READ_OR_LOCK answer into a step: after a miss, or as the `first` read (which counts
   * the hit or the miss, and may serve stale, as a first `GET` does).
   */
  async #lockRead(attempt: LoadAttempt, first = false): Promise<Step> {
    const { core, counters: c } = this.#t
    const { o, full } = this.#call
    switch (attempt.kind) {
      case 'unavailable':
        if (!first) return this.#loadUnlocked(false)
        // Counted as a failed first GET is (`L2.failed`).
        c.redisErrors++
        return this.#degraded()
      case 'foreign':
        if (first) this.#missed()
        return this.#loadUnlocked(true)
      case 'acquired':
        if (first) this.#missed()
        return this.#loadLocked(attempt.lock, attempt.serverMs)
      case 'found':
        break
    }
    if (isLoadMarker(attempt.buf)) {
      if (first) this.#missed()
      return { kind: 'wait', expiresInMs: attempt.pttl, marker: attempt.buf }
    }
    const entry = core.l2.decode(full, attempt.buf, c)
    if (entry !== null && (await isValid(this.#t, entry, o.tags !== undefined))) {
      const step = this.#entryStep(entry, first)
      if (step !== undefined) {
        if (first) this.#found()
        return step
      }
    }
    if (first) this.#missed()
    // Unusable (tags invalidated, not an envelope, past its time): swap it for our marker.
    const lock = await core.locks.replace(full, attempt.buf)
    if (lock !== undefined) return this.#loadLocked(lock, undefined)
    return { kind: 'wait', expiresInMs: 0, marker: attempt.buf }
  }

  /**
   * A valid entry from Redis: a hit, a stale value to serve, or undefined (not servable). Only the
   * first read counts a hit (a later one follows a counted miss) or serves stale (a waiter wants
   * the holder's fresh value).
   */
  #entryStep(entry: Entry, first: boolean): Step | undefined {
    const c = this.#t.counters
    const { o } = this.#call
    const now = Date.now()
    if (now < entry.freshUntil) {
      if (first) c.l2Hits++
      this.#keep(entry)
      if (o.eagerRefresh !== undefined && eagerDue(entry, o.eagerRefresh, now)) {
        void refresh(this.#t, this.#call, entry)
      }
      return { kind: 'hit', entry }
    }
    if (!first || now >= entry.staleUntil) return undefined
    const stale = this.#stale
    const newer = stale === undefined || entry.createdAt >= stale.createdAt ? entry : stale
    if (newer === entry) this.#keep(entry)
    return { kind: 'stale', entry: newer }
  }

  /** Serves a stale value now (refresh in the background) or races the refresh (soft timeout). */
  #serveStale(stale: Entry): Promise<T> | T {
    const { o } = this.#call
    if (o.softMs === undefined || o.softMs === 0) {
      this.#t.counters.staleServed++
      void refresh(this.#t, this.#call, stale)
      return stale.value as T
    }
    return raceSoft(this.#t, this.#call, stale)
  }

  /** Redis could not answer the first read: a stale L1 copy, else the factory without a lock. */
  #degraded(): Step {
    const stale = this.#stale
    if (stale !== undefined && Date.now() < stale.staleUntil) return { kind: 'stale', entry: stale }
    this.#t.counters.misses++
    return this.#loadUnlocked(false)
  }

  /** The factory under our lock, dated by the server clock when the lock answered with it. */
  #loadLocked(lock: HeldLock, serverMs: number | undefined): Step {
    let hardMs: number | undefined
    try {
      hardMs = this.#remainingHard()
    } catch (error) {
      void lock.finish(false)
      throw error
    }
    const createdAt = this.#t.core.stamps.createdAt(this.#call.o.tags, serverMs)
    return { kind: 'load', plan: { lock, createdAt, awaitWrite: true, hardMs } }
  }

  /** The factory without the lock; `awaitWrite` when Redis answered. */
  #loadUnlocked(awaitWrite: boolean): Step {
    const createdAt = this.#t.core.stamps.createdAt(this.#call.o.tags)
    return { kind: 'load', plan: { createdAt, awaitWrite, hardMs: this.#remainingHard() } }
  }

  /**
   * Waits for the holder of the key's lock. Undefined: read again. A plan: stop waiting and
   * load here (the holder is slower than we wait), guarded by its marker so a `del` or `set`
   * meanwhile still wins.
   */
  async #waitTurn(
    step: { expiresInMs: number; marker: Buffer },
    delay: number,
  ): Promise<FactoryPlan | undefined> {
    const { core, counters: c } = this.#t
    const { o, full, key } = this.#call
    if (!this.#waited) {
      this.#waited = true
      c.lockWaits++
    }
    const budget = Math.min(core.options.lockWaitMs, o.hardMs ?? Number.POSITIVE_INFINITY)
    const remaining = this.#started + budget - Date.now()
    if (remaining <= 0 || core.closed) {
      if (o.hardMs !== undefined && o.hardMs <= core.options.lockWaitMs && !core.closed) {
        c.factoryTimeouts++
        throw new FactoryTimeoutError(key, o.hardMs)
      }
      // The holder is alive but slower than we will wait: load here, without the lock.
      const createdAt = core.stamps.createdAt(o.tags)
      return { createdAt, awaitWrite: true, guard: step.marker, hardMs: this.#remainingHard() }
    }
    // Wake no later than the holder's lock expiry: a holder that died never publishes `set`.
    const untilExpiry = (step.expiresInMs >= 0 ? step.expiresInMs : delay) + 1
    await core.waiters.wait(full, Math.min(delay, remaining, untilExpiry))
    return undefined
  }

  /** `timeout.hard` bounds the whole call: time spent waiting comes off the factory's budget. */
  #remainingHard(): number | undefined {
    const { o, key } = this.#call
    if (o.hardMs === undefined) return undefined
    const left = o.hardMs - (Date.now() - this.#started)
    if (left <= 0) {
      this.#t.counters.factoryTimeouts++
      throw new FactoryTimeoutError(key, o.hardMs)
    }
    return left
  }

  /** Fills L1 with an entry read from Redis, unless something invalidated the key meanwhile. */
  #keep(entry: Entry): void {
    const { core, counters: c } = this.#t
    const w = this.#watch
    if (w !== undefined && core.current(w)) core.l1.set(this.#call.full, entry, c)
  }

  /** The first read found a servable value. */
  #found(): void {
    if (this.#eligible) this.#t.core.firstRead.record(false)
  }

  /**
   * The first read found no servable value: Redis answered that the key is gone, being loaded,
   * or invalidated, so an L1 copy is not servable either.
   */
  #missed(): void {
    this.#dropStale()
    this.#t.counters.misses++
    if (this.#eligible) this.#t.core.firstRead.record(true)
  }

  #dropStale(): void {
    if (this.#stale === undefined) return
    this.#stale = undefined
    this.#t.core.l1.delete(this.#call.full)
  }
}
