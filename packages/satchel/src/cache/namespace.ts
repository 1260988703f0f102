/**
 * {@link Cache} implementation: the root cache and every namespace are instances of
 * {@link CacheNamespace}, views over one shared {@link CacheCore} differing in key base,
 * defaults and counters.
 *
 * @module
 */
import { parseDuration } from '../core/duration.js'
import { InvalidKeyError, InvalidOptionError, RedisCommandError } from '../core/errors.js'
import { escapeGlob, escapeKeyPart } from '../core/keys.js'
import { evalScript } from '../core/scripts.js'
import type { CacheCore } from './core.js'
import { debugLine } from './debug-log.js'
import { decodeEnvelope, Entry, encodeEnvelope } from './entry.js'
import { L2_DOWN } from './l2.js'
import { getOrLoad } from './load.js'
import { callOptions, mergeOptions, type ResolvedNamespaceOptions } from './options.js'
import { globToRegExp, scanAndUnlink } from './pattern.js'
import { COMPARE_AND_SET, INCR_WITH_TTL, INVALIDATE_TAGS } from './scripts.js'
import { isLoadMarker } from './stampede-lock.js'
import type { NamespaceCounters } from './stats.js'
import { prepareEntry, storeValue } from './store.js'
import type {
  Cache,
  CacheCallOptions,
  CacheEntryInput,
  CacheNamespaceStats,
  Factory,
  NamespaceOptions,
  WarmEntry,
  WarmProgress,
} from './types.js'
import { eagerDue, isValid, tagsToRead } from './validity.js'
import { warmCache } from './warm.js'

/** One namespace (or the root) of a cache. */
export class CacheNamespace implements Cache {
  readonly counters: NamespaceCounters
  /** Prepended to every key: `''` for the root, `<p>:ns:<name>:` for a namespace. */
  readonly base: string

  constructor(
    readonly core: CacheCore,
    readonly name: string,
    base: string,
    readonly defaults: ResolvedNamespaceOptions,
  ) {
    this.base = base
    this.counters = core.counters(name)
  }

  #full(key: string): string {
    if (typeof key !== 'string' || key.length === 0) throw this.#badKey(key)
    return this.base === '' ? key : this.base + key
  }

  #badKey(key: unknown): InvalidKeyError {
    return new InvalidKeyError(`cache key must be a non-empty string, got ${String(key)}`)
  }

  getOrSet<T>(key: string, factory: Factory<T>, options?: CacheCallOptions<T>): Promise<T> {
    // Bad input rejects (never throws synchronously), like every other failure of this method.
    if (typeof key !== 'string' || key.length === 0) return Promise.reject(this.#badKey(key))
    const full = this.base === '' ? key : this.base + key
    const d = this.defaults
    const useL1 = options === undefined || options.l1 === undefined ? d.l1 : options.l1
    if (useL1) {
      const e = this.core.l1.get(full)
      if (e !== undefined) {
        const now = Date.now()
        if (now < e.freshUntil && (e.tags === undefined || this.core.stamps.check(e) === true)) {
          const eager =
            options === undefined || options.eagerRefresh === undefined
              ? d.eagerRefresh
              : options.eagerRefresh
          if (eager === undefined || !eagerDue(e, eager, now)) {
            this.counters.l1Hits++
            if (d.debug)
              debugLine(
                this.core.ctx.logger,
                { op: 'GET', key: full, outcome: 'HIT' },
                performance.now(),
              )
            return Promise.resolve(e.value as T)
          }
        }
      }
    }
    let o: ReturnType<typeof callOptions<T>>
    try {
      o = callOptions(d, options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (!o.debug) return getOrLoad(this, { full, key, factory, o })
    const start = performance.now()
    const before = this.counters.l2Hits
    return getOrLoad(this, { full, key, factory, o }).then((value) => {
      const outcome = this.counters.l2Hits > before ? 'HIT-L2' : 'MISS'
      debugLine(this.core.ctx.logger, { op: 'GET', key: full, outcome: outcome }, start)
      return value
    })
  }

  wrap<T>(key: string, factory: Factory<T>, options?: CacheCallOptions<T>): Promise<T> {
    return this.getOrSet(key, factory, options)
  }

  async get<T>(key: string, options?: Pick<CacheCallOptions<T>, 'l1'>): Promise<T | undefined> {
    const full = this.#full(key)
    const start = this.defaults.debug ? performance.now() : 0
    const entry = await this.#readFresh(full, options?.l1 ?? this.defaults.l1, true)
    if (this.defaults.debug) {
      debugLine(
        this.core.ctx.logger,
        { op: 'GET', key: full, outcome: entry ? 'HIT' : 'MISS' },
        start,
      )
    }
    return entry?.value as T | undefined
  }

  /** The fresh, valid entry for `full` from L1 or L2 (filling L1), else undefined. */
  async #readFresh(full: string, useL1: boolean, count: boolean): Promise<Entry | undefined> {
    const { core, counters: c } = this
    if (useL1) {
      const e = core.l1.get(full)
      if (e !== undefined && Date.now() < e.freshUntil && core.stamps.check(e) === true) {
        if (count) c.l1Hits++
        return e
      }
    }
    // Only an L1 fill needs guarding against an invalidation during the read.
    const w = useL1 ? core.watch(full) : undefined
    try {
      const r = await core.l2.read(full, undefined, c)
      if (r === L2_DOWN) {
        // Redis unavailable: L1 is all there is, including entries whose tags we cannot check.
        const e = useL1 ? core.l1.peek(full) : undefined
        if (e !== undefined && Date.now() < e.freshUntil && core.stamps.check(e) !== false) {
          if (count) c.l1Hits++
          return e
        }
      } else if (r !== null && Date.now() < r.freshUntil && (await isValid(this, r, false))) {
        if (count) c.l2Hits++
        // Not if a del, set or bus eviction of the key landed while we were reading.
        if (w !== undefined && core.current(w)) core.l1.set(full, r, c)
        return r
      }
    } finally {
      if (w !== undefined) core.unwatch(w)
    }
    if (count) c.misses++
    return undefined
  }

  async set<T>(key: string, value: T, options?: CacheCallOptions<T>): Promise<void> {
    const full = this.#full(key)
    const o = callOptions(this.defaults, options)
    const start = o.debug ? performance.now() : 0
    const createdAt = this.core.stamps.createdAt(o.tags)
    this.core.invalidate(full)
    await storeValue(this, { full, value, o, createdAt, tags: o.tags, throwOnEncode: true }, o.l1)
    if (o.debug) debugLine(this.core.ctx.logger, { op: 'SET', key: full, outcome: 'SET' }, start)
  }

  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0
    const fulls = keys.map((k) => this.#full(k))
    const start = this.defaults.debug ? performance.now() : 0
    let local = 0
    for (const full of fulls) {
      this.core.invalidate(full)
      if (this.core.l1.delete(full)) local++
    }
    const removed = await this.core.l2.unlink(fulls, this.counters)
    this.core.publish({ type: 'delete', keys: fulls })
    if (this.defaults.debug) {
      for (const full of fulls)
        debugLine(this.core.ctx.logger, { op: 'DEL', key: full, outcome: 'DEL' }, start)
    }
    return removed < 0 ? local : removed
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#readFresh(this.#full(key), this.defaults.l1, false)) !== undefined
  }

  async ttl(key: string): Promise<number> {
    const full = this.#full(key)
    const { core, counters: c } = this
    if (core.l2.enabled) {
      try {
        const [buf, pttl] = await core.ctx.gateway.exec('cache.ttl', (r) =>
          Promise.all([r.getBuffer(full), r.pttl(full)]),
        )
        if (buf === null || isLoadMarker(buf)) return -2
        const entry = decodeEnvelope(core.ctx.codec, buf)
        if (entry === undefined) return pttl
        if (!(await isValid(this, entry, false))) return -2
        return Math.max(0, entry.freshUntil - Date.now())
      } catch {
        c.redisErrors++
      }
    }
    const e = core.l1.peek(full)
    if (e === undefined || Date.now() >= e.staleUntil || core.stamps.check(e) === false) return -2
    return Math.max(0, e.freshUntil - Date.now())
  }

  async incr(
    key: string,
    by = 1,
    options?: { ttl?: number | string },
  ): Promise<number | undefined> {
    const full = this.#full(key)
    if (!Number.isSafeInteger(by)) throw new InvalidOptionError('by', 'expected a safe integer')
    const ttlMs =
      options?.ttl === undefined ? this.defaults.ttlMs : parseDuration(options.ttl, 'ttl')
    const { core, counters: c } = this
    if (!core.l2.enabled) {
      return core.ctx.gateway.enabled ? undefined : this.#incrLocal(full, by, ttlMs)
    }
    try {
      const n = await core.ctx.gateway.exec('cache.incr', (r) =>
        evalScript(r, INCR_WITH_TTL, [full], [by, Math.max(1, ttlMs)]),
      )
      core.l1.delete(full)
      return Number(n)
    } catch (error) {
      // An error reply (the key holds a cache entry, not an integer) is the caller's mix-up,
      // not Redis trouble.
      if (!(error instanceof RedisCommandError)) c.redisErrors++
      return undefined
    }
  }

  /** Memory-only mode: the counter lives in L1 as a plain entry. */
  #incrLocal(full: string, by: number, ttlMs: number): number {
    const now = Date.now()
    const e = this.core.l1.peek(full)
    const live = e !== undefined && now < e.freshUntil && typeof e.value === 'number'
    const n = (live ? (e.value as number) : 0) + by
    const freshUntil = live ? e.freshUntil : now + ttlMs
    this.core.l1.set(
      full,
      new Entry(n, { freshUntil, staleUntil: freshUntil, createdAt: now }, undefined, 8),
      this.counters,
    )
    return n
  }

  async expire(key: string, ttl: number | string): Promise<boolean> {
    const full = this.#full(key)
    const ttlMs = Math.max(1, parseDuration(ttl, 'ttl'))
    const { core, counters: c } = this
    const local = core.l1.peek(full)
    core.l1.delete(full)
    if (!core.l2.enabled) {
      if (local === undefined || Date.now() >= local.freshUntil) return false
      const freshUntil = Date.now() + ttlMs
      const graceMs = local.staleUntil - local.freshUntil
      const times = { freshUntil, staleUntil: freshUntil + graceMs, createdAt: local.createdAt }
      const next = new Entry(local.value, times, local.tags, local.size)
      core.l1.set(full, next, c)
      return true
    }
    try {
      const ok = await core.ctx.gateway.exec('cache.expire', async (r) => {
        const buf = await r.getBuffer(full)
        if (buf === null || isLoadMarker(buf)) return false
        const entry = decodeEnvelope(core.ctx.codec, buf)
        // Not an envelope (an `incr` counter): plain PEXPIRE.
        if (entry === undefined) return (await r.pexpire(full, ttlMs)) === 1
        const graceMs = entry.staleUntil - entry.freshUntil
        const freshUntil = Date.now() + ttlMs
        const times = { freshUntil, staleUntil: freshUntil + graceMs, createdAt: entry.createdAt }
        const next = encodeEnvelope(core.ctx.codec, entry.value, times, entry.tags)
        const replaced = await evalScript(r, COMPARE_AND_SET, [full], [buf, next, ttlMs + graceMs])
        return (replaced as number[])[0] === 1
      })
      core.publish({ type: 'delete', keys: [full] })
      return ok
    } catch {
      c.redisErrors++
      return false
    }
  }

  async mget<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    const { core, counters: c } = this
    const fulls = keys.map((k) => this.#full(k))
    const out: (T | undefined)[] = new Array(keys.length).fill(undefined)
    const missing: number[] = []
    const now = Date.now()
    const useL1 = this.defaults.l1
    for (let i = 0; i < fulls.length; i++) {
      const e = useL1 ? core.l1.get(fulls[i]!) : undefined
      if (e !== undefined && now < e.freshUntil && core.stamps.check(e) === true) {
        c.l1Hits++
        out[i] = e.value as T
      } else missing.push(i)
    }
    if (missing.length === 0) return out
    // Watched while Redis answers: a `del`, `set` or eviction meanwhile keeps that key out of L1.
    const watches = missing.map((i) => core.watch(fulls[i]!))
    try {
      const reads = await core.l2.readMany(
        missing.map((i) => fulls[i]!),
        c,
      )
      const entries = reads.filter((r): r is Entry => r !== null && r !== L2_DOWN)
      // The stamps these entries need (unknown ones; without a bus, all), in one HMGET.
      const tags = tagsToRead(this, entries)
      if (tags.length > 0) await core.l2.learnTags(tags, c)
      const after = Date.now()
      reads.forEach((r, j) => {
        const i = missing[j]!
        if (r !== null && r !== L2_DOWN && after < r.freshUntil && core.stamps.check(r) !== false) {
          c.l2Hits++
          if (useL1 && core.current(watches[j]!)) core.l1.set(fulls[i]!, r, c)
          out[i] = r.value as T
        } else c.misses++
      })
    } finally {
      for (const w of watches) core.unwatch(w)
    }
    return out
  }

  async mset<T>(entries: readonly CacheEntryInput<T>[]): Promise<void> {
    const { core, counters: c } = this
    const items: { key: string; buf: Buffer; pxMs: number }[] = []
    for (const input of entries) {
      const full = this.#full(input.key)
      const o = callOptions(this.defaults, input.options)
      const createdAt = core.stamps.createdAt(o.tags)
      core.invalidate(full)
      const prepared = prepareEntry(this, {
        full,
        value: input.value,
        o,
        createdAt,
        tags: o.tags,
        throwOnEncode: true,
      })
      if (prepared === undefined) continue
      const { entry, buf, pxMs } = prepared
      if (o.l1) core.l1.set(full, entry, c)
      else core.l1.delete(full)
      items.push({ key: full, buf, pxMs })
    }
    if (await core.l2.writeMany(items, c)) {
      core.publish({ type: 'set', keys: items.map((i) => i.key) })
    }
  }

  async delPattern(pattern: string): Promise<number> {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw new InvalidOptionError('pattern', 'expected a non-empty glob')
    }
    const full = escapeGlob(this.base) + pattern
    return this.#deleteGlob(full)
  }

  async #deleteGlob(glob: string): Promise<number> {
    const { core, counters: c } = this
    // Loads in flight may have read keys this pattern removes; none of them may store.
    core.invalidateAll()
    const local = core.l1.deleteMatching(globToRegExp(glob))
    if (!core.l2.enabled) return local
    return scanAndUnlink(
      core.ctx.gateway,
      glob,
      (keys) => {
        for (const key of keys) core.l1.delete(key)
        core.publish({ type: 'delete', keys })
      },
      () => {
        c.redisErrors++
      },
    )
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new InvalidOptionError('tags', 'expected an array of non-empty strings')
    }
    if (tags.length === 0) return
    const { core, counters: c } = this
    // Callers from now on load anew; entries of loads in flight predate the new stamps.
    core.retireAll()
    let stamps: number[] | undefined
    if (core.l2.enabled) {
      try {
        const reply = await core.ctx.gateway.exec('cache.invalidateTags', (r) =>
          evalScript(r, INVALIDATE_TAGS, [core.stamps.key], tags),
        )
        stamps = (reply as unknown[]).map(Number)
      } catch {
        c.redisErrors++
      }
    }
    // Redis's stamps when it answered; this clock otherwise (memory-only, or Redis down).
    const local = Date.now()
    for (let i = 0; i < tags.length; i++) core.stamps.apply(tags[i]!, stamps?.[i] ?? local)
    core.retireAll()
    core.publish({ type: 'tags', tags: [...tags], at: stamps ? Math.max(...stamps) : local })
  }

  namespace(name: string, options?: NamespaceOptions): Cache {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidOptionError('namespace', 'expected a non-empty name')
    }
    const part = escapeKeyPart(name)
    const base = this.base === '' ? `${this.core.prefix}:ns:${part}:` : `${this.base}ns:${part}:`
    const fullName = this.name === '' ? name : `${this.name}/${name}`
    return new CacheNamespace(
      this.core,
      fullName,
      base,
      mergeOptions(this.defaults, options, `namespace(${name}).`),
    )
  }

  async clear(): Promise<number> {
    const { core } = this
    if (this.base !== '') {
      const removed = await this.#deleteGlob(`${escapeGlob(this.base)}*`)
      core.publish({ type: 'clear', prefixes: [this.base] })
      return removed
    }
    // The root: every cache family, nothing of other primitives. The tag stamps stay: forgetting
    // an invalidation would bring back any entry that outlives the clear (a key outside these
    // families, or a load that finishes after it), and the hash is bounded by the tag names.
    const removed = await Promise.all(
      ['o:*', 'g:*', 'ns:*', 'c:lock:*'].map((glob) => this.#deleteGlob(`${core.prefix}:${glob}`)),
    )
    // L1 holds only cache entries, so all of it goes (including root keys outside these
    // families, which L2 keeps and the next read fetches again).
    core.l1.clear()
    core.publish({ type: 'clear', prefixes: [''] })
    return removed.reduce((a, b) => a + b, 0)
  }

  warm<T>(
    entries: Iterable<WarmEntry<T>> | AsyncIterable<WarmEntry<T>>,
    options?: { concurrency?: number; onProgress?: (progress: WarmProgress) => void },
  ): Promise<{ loaded: number; failed: number; errors: { key: string; error: unknown }[] }> {
    return warmCache(this, entries, options ?? {}, this.core.ctx.events)
  }

  stats(): CacheNamespaceStats {
    return this.counters.snapshot()
  }
}
