/**
 * The slow path of `getOrSet`: everything after an L1 fresh hit. One load per key per process
 * (single-flight), one per key across processes (stampede lock), stale-while-revalidate, soft
 * and hard timeouts, fail-safe.
 *
 * ```
 * L1 fresh ─────────────────────────────────────────────► value   (namespace.ts, no await)
 * L1 stale, refresh running ────────────────────────────► stale
 * in-flight load for key ───────────────────────────────► join it
 * L2 fresh ─────────────────────────────────────────────► value (+ L1)
 * stale (L1 or L2, within grace):
 *   no soft timeout ── refresh in background (lock NX, else skip) ► stale now
 *   soft timeout ───── refresh; fresh value if it beats `soft`, else stale
 * miss: lock 'distributed' ─ SET NX + re-read L2 (one round trip) ─ factory ─ write ─ release
 *                          └ held ─ wait (bus `set`, 10→100 ms poll or lock expiry) ─ retry
 *       lock 'local' / false / Redis down ─ factory
 * ```
 *
 * @module
 */
import { parseDuration } from '../core/duration.js'
import { EncodeError, FactoryError, FactoryTimeoutError } from '../core/errors.js'
import type { CacheCore } from './core.js'
import { type Entry, Entry as EntryClass, encodeEnvelope, jittered } from './entry.js'
import { L2_DOWN, type L2Read } from './l2.js'
import type { ResolvedCallOptions } from './options.js'
import type { HeldLock } from './stampede-lock.js'
import type { NamespaceCounters } from './stats.js'
import type { Factory, FactoryContext } from './types.js'

/** What the loader needs from a namespace. */
export interface LoadTarget {
  readonly core: CacheCore
  readonly counters: NamespaceCounters
}

/** Whether `entry`'s tags still hold; reads unknown tag stamps (or all, without a bus). */
export async function isValid(
  t: LoadTarget,
  entry: Entry,
  stampsJustRead: boolean,
): Promise<boolean> {
  if (entry.tags === undefined) return true
  const { stamps, l2 } = t.core
  let valid = stamps.check(entry)
  if (valid === false) return false
  // Without a bus nothing tells this process about other instances' invalidations, so the
  // stamps it knows are re-read on every L2 read of a tagged entry.
  const distrust = t.core.bus === undefined && !stampsJustRead && l2.enabled
  if (valid === undefined || distrust) {
    const tags = valid === undefined ? stamps.unknownTags(entry) : entry.tags
    await l2.learnTags(tags, t.counters)
    valid = stamps.check(entry)
  }
  // A tag whose stamp Redis could not tell us is treated as valid: fail open, like L1.
  return valid !== false
}

/** An L2 read that is a valid entry (of any freshness), else undefined; `down` reported. */
async function readValid(
  t: LoadTarget,
  full: string,
  o: ResolvedCallOptions<unknown>,
): Promise<Entry | undefined | typeof L2_DOWN> {
  const r: L2Read = await t.core.l2.read(full, o.tags, t.counters)
  if (r === null || r === L2_DOWN) return r ?? undefined
  return (await isValid(t, r, o.tags !== undefined)) ? r : undefined
}

/** Starts (or joins) the slow path for `full`. */
export function loadSlow<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
): Promise<T> {
  const { core, counters: c } = t
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
            refresh(t, full, key, factory, o, e)
          }
          return Promise.resolve(e.value as T)
        }
        stale = e
        if (core.refreshing.has(full)) {
          c.staleServed++
          return Promise.resolve(e.value as T)
        }
      }
    }
  }
  // `lock: false`: no stampede protection at all, every caller runs the factory.
  if (o.lock === false) return load(t, full, key, factory, o, stale, false)
  const pending = core.inflight.get(full)
  if (pending !== undefined) {
    c.lockWaits++
    // The load belongs to the first caller and stores by its options; a joiner's own hard
    // timeout still bounds how long this caller waits.
    return o.hardMs === undefined
      ? (pending as Promise<T>)
      : joinWithin(pending as Promise<T>, o.hardMs, key, c)
  }
  // `load` removes its own entry when it settles (it always awaits before settling, so the
  // entry is set by then); no per-call cleanup closures.
  const p = load(t, full, key, factory, o, stale, true)
  core.inflight.set(full, p)
  return p
}

async function load<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
  l1Stale: Entry | undefined,
  /** Registered in `inflight`: remove the entry when settled. */
  shared: boolean,
): Promise<T> {
  // `return await` throughout: the in-flight entry must stay until the load settles.
  const w = t.core.watch(full)
  try {
    const { core, counters: c } = t
    let stale = l1Stale
    // The L2 hit path, inlined (no readValid frame): it is what an `l1: false` read costs.
    const read = await core.l2.read(full, o.tags, c)
    const r =
      read === null || read === L2_DOWN || read.tags === undefined
        ? read
        : (await isValid(t, read, o.tags !== undefined))
          ? read
          : null
    const down = r === L2_DOWN
    if (r === null && stale !== undefined) {
      // Redis answered that the key is gone or its tags invalidated it (a delete or
      // invalidation whose bus message this process missed): the L1 copy is not servable.
      stale = undefined
      core.l1.delete(full)
    }
    if (r !== null && r !== L2_DOWN) {
      const now = Date.now()
      if (now < r.freshUntil) {
        c.l2Hits++
        if (o.l1 && core.current(w)) core.l1.set(full, r, c)
        if (o.eagerRefresh !== undefined && eagerDue(r, o.eagerRefresh, now)) {
          refresh(t, full, key, factory, o, r)
        }
        return r.value as T
      }
      if (now < r.staleUntil && (stale === undefined || r.createdAt >= stale.createdAt)) {
        stale = r
        if (o.l1 && core.current(w)) core.l1.set(full, r, c)
      }
    }
    if (stale !== undefined && Date.now() < stale.staleUntil) {
      if (o.softMs === undefined || o.softMs === 0) {
        c.staleServed++
        refresh(t, full, key, factory, o, stale)
        return stale.value as T
      }
      return await raceSoft(t, full, key, factory, o, stale)
    }
    c.misses++
    if (o.lock !== 'distributed' || down || !core.l2.enabled) {
      return await runFactory(t, full, key, factory, o, undefined, !down && core.l2.enabled)
    }
    return await loadLocked(t, full, key, factory, o)
  } finally {
    t.core.unwatch(w)
    if (shared) t.core.inflight.delete(full)
  }
}

/** `pending`, or `E_FACTORY_TIMEOUT` after `hardMs`, whichever comes first. */
function joinWithin<T>(
  pending: Promise<T>,
  hardMs: number,
  key: string,
  c: NamespaceCounters,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      c.factoryTimeouts++
      reject(new FactoryTimeoutError(key, hardMs))
    }, hardMs)
    pending.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Eager refresh is due once `fraction` of the entry's fresh life has passed. */
export function eagerDue(e: Entry, fraction: number, now: number): boolean {
  return now >= e.createdAt + fraction * (e.freshUntil - e.createdAt)
}

/** A miss under the distributed lock: load if we get it, else wait for the holder's value. */
async function loadLocked<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
): Promise<T> {
  const { core, counters: c } = t
  const started = Date.now()
  const waitBudget = Math.min(core.options.lockWaitMs, o.hardMs ?? Number.POSITIVE_INFINITY)
  const deadline = started + waitBudget
  // `timeout.hard` bounds the whole call: time spent waiting for the lock comes off the
  // factory's budget.
  const remainingHard = (): ResolvedCallOptions<T> => {
    if (o.hardMs === undefined) return o
    const left = o.hardMs - (Date.now() - started)
    if (left <= 0) {
      c.factoryTimeouts++
      throw new FactoryTimeoutError(key, o.hardMs)
    }
    return { ...o, hardMs: left }
  }
  let delay = 10
  let waited = false
  for (;;) {
    // Lock and re-read in one round trip: issued in the same turn, they share a socket write and
    // Redis runs the GET right after the SET NX, so a value written by a holder that released
    // just before our SET NX is seen, as if the two ran one after the other. (On Cluster they go
    // to different nodes in parallel; a holder finishing in that instant can cost one extra
    // factory call, never a wrong value.)
    const acquiring = core.locks.tryAcquire(full)
    const reading = readValid(t, full, o as ResolvedCallOptions<unknown>)
    const attempt = await acquiring
    const found = await reading
    if (found !== undefined && found !== L2_DOWN && Date.now() < found.freshUntil) {
      if (attempt.lock !== undefined) void attempt.lock.release()
      if (o.l1) core.l1.set(full, found, c)
      return found.value as T
    }
    if (attempt.attempt === 'unavailable' || found === L2_DOWN) {
      if (attempt.lock !== undefined) void attempt.lock.release()
      return runFactory(t, full, key, factory, o, undefined, false)
    }
    if (attempt.lock !== undefined) {
      let budget: ResolvedCallOptions<T>
      try {
        budget = remainingHard()
      } catch (error) {
        void attempt.lock.release()
        throw error
      }
      return runFactory(t, full, key, factory, budget, attempt.lock, true)
    }
    if (!waited) {
      waited = true
      c.lockWaits++
    }
    const remaining = deadline - Date.now()
    if (remaining <= 0 || core.closed) {
      if (o.hardMs !== undefined && o.hardMs <= core.options.lockWaitMs && !core.closed) {
        c.factoryTimeouts++
        throw new FactoryTimeoutError(key, o.hardMs)
      }
      // The holder is alive but slower than we will wait: load here, without the lock.
      return runFactory(t, full, key, factory, remainingHard(), undefined, true)
    }
    // Wake no later than the holder's lock expiry: a holder that died never publishes `set`.
    const untilExpiry = (attempt.expiresInMs ?? delay) + 1
    await core.waiters.wait(full, Math.min(delay, remaining, untilExpiry))
    delay = Math.min(100, delay * 2)
  }
}

/**
 * A refresh in the background: at most one per key per process, and (lock 'distributed') one
 * across processes: a process that cannot take the lock skips, since the holder is refreshing.
 * Resolves to the new value's entry, or undefined when skipped or failed.
 */
function refresh<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
  stale: Entry,
): Promise<{ value: T } | undefined> {
  const { core } = t
  const running = core.refreshing.get(full)
  if (running !== undefined) return running as Promise<{ value: T } | undefined>
  const p = (async (): Promise<{ value: T } | undefined> => {
    let lock: HeldLock | undefined
    if (o.lock === 'distributed' && core.l2.enabled) {
      const attempt = await core.locks.tryAcquire(full)
      if (attempt.attempt === 'held') return undefined
      lock = attempt.lock
      if (lock !== undefined) {
        const again = await readValid(t, full, o as ResolvedCallOptions<unknown>)
        if (
          again !== undefined &&
          again !== L2_DOWN &&
          again.createdAt > stale.createdAt &&
          Date.now() < again.freshUntil
        ) {
          await lock.release()
          if (o.l1) core.l1.set(full, again, t.counters)
          return { value: again.value as T }
        }
      }
    }
    t.counters.refreshes++
    try {
      return { value: await runFactory(t, full, key, factory, o, lock, false, stale) }
    } catch {
      return undefined
    }
  })()
  core.refreshing.set(full, p)
  const done = (): void => {
    if (core.refreshing.get(full) === p) core.refreshing.delete(full)
  }
  p.then(done, done)
  return p
}

/** With a stale value and a soft timeout: the fresh value if it beats `soft`, else stale. */
function raceSoft<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
  stale: Entry,
): Promise<T> {
  const c = t.counters
  return new Promise<T>((resolve) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      c.staleServed++
      resolve(stale.value as T)
    }, o.softMs)
    refresh(t, full, key, factory, o, stale).then((result) => {
      clearTimeout(timer)
      if (settled) return
      if (result !== undefined) resolve(result.value)
      else {
        // Skipped (another process refreshes) or failed: fail-safe to the stale value.
        c.staleServed++
        resolve(stale.value as T)
      }
    })
  })
}

/**
 * Runs the factory once: stores its result (unless skipped, refused by `shouldCache`, or the
 * cache closed), releases the lock after the write, applies the hard timeout and fail-safe.
 */
export function runFactory<T>(
  t: LoadTarget,
  full: string,
  key: string,
  factory: Factory<T>,
  o: ResolvedCallOptions<T>,
  lock: HeldLock | undefined,
  /**
   * Redis just answered: the caller waits for the L2 write (bounded by `commandMs`), so a value
   * `getOrSet` returned is readable by every other client. After a failed read the write runs in
   * the background instead: a hung Redis must not add a second `commandMs` to the load.
   */
  awaitWrite: boolean,
  /** The value being refreshed: handed to the factory, never served from here. */
  stale?: Entry,
): Promise<T> {
  const { core, counters: c } = t
  c.factoryCalls++
  // A `del`, `set` or bus eviction of this key while the factory runs means its value is
  // already outdated: it is returned to the callers that asked before, but not stored.
  const w = core.watch(full)
  const controller = new AbortController()
  core.controllers.add(controller)
  let ttlOverride: number | undefined
  let extraTags: string[] | undefined
  let skipped = false
  const createdAt = core.stamps.createdAt(o.tags)
  const context: FactoryContext<T> = {
    key,
    stale: stale?.value as T | undefined,
    signal: controller.signal,
    setTtl(ttl) {
      ttlOverride = parseDuration(ttl, 'setTtl')
    },
    setTags(tags) {
      extraTags = [...(extraTags ?? []), ...tags]
    },
    skip() {
      skipped = true
    },
  }
  let run: Promise<T>
  try {
    run = Promise.resolve(factory(context))
  } catch (error) {
    run = Promise.reject(error)
  }
  // The stampede lock is released only after the L2 write, so waiters in other processes find
  // the value when they wake.
  let written: Promise<void> | undefined
  const stored = run.then((value) => {
    if (
      !skipped &&
      !core.closed &&
      core.current(w) &&
      (o.shouldCache === undefined || o.shouldCache(value))
    ) {
      const tags =
        extraTags === undefined ? o.tags : [...new Set([...(o.tags ?? []), ...extraTags])]
      written = storeValue(t, full, value, o, createdAt, ttlOverride, tags, false).catch(
        (error: unknown) => {
          core.ctx.logger.warn({ key: full, err: String(error) }, 'cache: storing a value failed')
        },
      )
      if (awaitWrite) return written.then(() => value)
    }
    return value
  })
  const finish = (): void => {
    core.controllers.delete(controller)
    if (written === undefined) core.unwatch(w)
    else void written.then(() => core.unwatch(w))
    if (lock === undefined) return
    if (written === undefined) void lock.release()
    else void written.then(() => lock.release())
  }
  stored.then(finish, finish)

  // Fail-safe (serving the stale value) is the caller's call: a refresh's caller already has
  // the stale value, and a miss has none.
  const failSafe = (error: unknown): T => {
    c.factoryErrors++
    throw new FactoryError(key, { cause: error })
  }
  if (o.hardMs === undefined) return stored.then(undefined, failSafe)
  const hardMs = o.hardMs
  return new Promise<T>((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      c.factoryTimeouts++
      const error = new FactoryTimeoutError(key, hardMs)
      controller.abort(error)
      // Stop holding the key for a factory nobody waits for any more: other processes may load.
      void lock?.release()
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

/**
 * Writes an entry to L1 (unless `l1: false`) and L2, and tells other instances. Never throws a
 * Redis error; an unencodable value throws `EncodeError` only when `throwOnEncode` (a `set`
 * call: the caller's bug), else it is logged and returned uncached.
 */
export async function storeValue(
  t: LoadTarget,
  full: string,
  value: unknown,
  o: ResolvedCallOptions<unknown> | ResolvedCallOptions<never>,
  createdAt: number,
  ttlOverride: number | undefined,
  tags: readonly string[] | undefined,
  throwOnEncode: boolean,
): Promise<void> {
  const { core, counters: c } = t
  const prepared = prepareEntry(t, full, value, o, createdAt, ttlOverride, tags, throwOnEncode)
  if (prepared === undefined) return
  const [entry, buf, pxMs] = prepared
  if (o.l1) core.l1.set(full, entry, c)
  else core.l1.delete(full)
  if (await core.l2.write(full, buf, pxMs, c)) core.publish({ type: 'set', keys: [full] })
}

/** Encodes an entry; undefined when it must not be stored (too large, unencodable). */
export function prepareEntry(
  t: LoadTarget,
  full: string,
  value: unknown,
  o: { ttlMs: number; graceMs: number; jitter: number },
  createdAt: number,
  ttlOverride: number | undefined,
  tags: readonly string[] | undefined,
  throwOnEncode: boolean,
): [Entry, Buffer, number] | undefined {
  const { ctx } = t.core
  const fresh = jittered(ttlOverride ?? o.ttlMs, o.jitter)
  const now = Date.now()
  const freshUntil = now + fresh
  const staleUntil = freshUntil + o.graceMs
  let buf: Buffer
  try {
    buf = encodeEnvelope(ctx.codec, value, freshUntil, staleUntil, createdAt, tags)
  } catch (error) {
    if (throwOnEncode || !(error instanceof EncodeError)) throw error
    ctx.logger.warn({ key: full, err: error.message }, 'cache: value cannot be encoded; not cached')
    return undefined
  }
  if (buf.length > ctx.codec.maxValueBytes) {
    ctx.events.emit('value:too-large', {
      key: full,
      bytes: buf.length,
      limit: ctx.codec.maxValueBytes,
    })
    return undefined
  }
  return [
    new EntryClass(value, freshUntil, staleUntil, createdAt, tags, buf.length),
    buf,
    fresh + o.graceMs,
  ]
}
