/**
 * Background refreshes: stale-while-revalidate, eager refresh, and the race against a soft
 * timeout. At most one per key per process, and (lock 'distributed') one across processes: a
 * process that cannot take the refresh lock skips, since the holder is refreshing.
 *
 * @module
 */
import type { Watch } from './core.js'
import type { Entry } from './entry.js'
import { type FactoryPlan, type LoadCall, runFactory } from './factory-run.js'
import { L2_DOWN } from './l2.js'
import { isValid, type LoadTarget } from './validity.js'

/** A refresh's result: the new value, or undefined when skipped or failed. */
export type Refreshed<T> = { value: T } | undefined

/** Starts (or joins) the refresh of `call.full`, replacing `stale`. */
export function refresh<T>(t: LoadTarget, call: LoadCall<T>, stale: Entry): Promise<Refreshed<T>> {
  const running = t.core.refreshInProgress(call.full)
  if (running !== undefined) return running as Promise<Refreshed<T>>
  const p = new Refresh(t, call, stale).run()
  t.core.trackRefresh(call.full, p)
  return p
}

/** With a stale value and a soft timeout: the fresh value if it beats `soft`, else stale. */
export function raceSoft<T>(t: LoadTarget, call: LoadCall<T>, stale: Entry): Promise<T> {
  const c = t.counters
  return new Promise<T>((resolve) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      c.staleServed++
      resolve(stale.value as T)
    }, call.o.softMs)
    void refresh(t, call, stale).then((result) => {
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

class Refresh<T> {
  readonly #t: LoadTarget
  readonly #call: LoadCall<T>
  readonly #stale: Entry

  constructor(t: LoadTarget, call: LoadCall<T>, stale: Entry) {
    this.#t = t
    this.#call = call
    this.#stale = stale
  }

  async run(): Promise<Refreshed<T>> {
    const w = this.#t.core.watch(this.#call.full)
    try {
      const plan = await this.#plan(w)
      if (plan === undefined || 'value' in plan) return plan
      this.#t.counters.refreshes++
      try {
        return { value: await runFactory(this.#t, this.#call, plan) }
      } catch {
        return undefined
      }
    } finally {
      this.#t.core.unwatch(w)
    }
  }

  /**
   * Takes the refresh lock and reads the entry again under it: a newer value another process
   * stored is used as it is; otherwise the factory's value replaces exactly the entry read (a
   * `del` or `set` meanwhile makes that write a no-op). Undefined: skip.
   */
  async #plan(w: Watch): Promise<FactoryPlan | Refreshed<T>> {
    const { core, counters: c } = this.#t
    const { o, full } = this.#call
    const createdAt = core.stamps.createdAt(o.tags)
    const base = { createdAt, awaitWrite: false, stale: this.#stale }
    if (o.lock !== 'distributed' || !core.l2.enabled) return base
    const lock = await core.locks.tryRefresh(full)
    if (lock === 'held') return undefined
    if (lock === 'unavailable') return base
    const buf = await core.l2.readBytes(full, c)
    if (buf === L2_DOWN) return { ...base, lock }
    const again = buf === null ? null : core.l2.decode(full, buf, c)
    if (buf === null || again === null) {
      // Deleted since (or being loaded by a miss): nothing to refresh.
      await lock.finish(false)
      return undefined
    }
    if (
      again.createdAt > this.#stale.createdAt &&
      Date.now() < again.freshUntil &&
      (await isValid(this.#t, again, false))
    ) {
      await lock.finish(false)
      if (o.l1 && core.current(w)) core.l1.set(full, again, c)
      return { value: again.value as T }
    }
    lock.guard = buf
    return { ...base, lock }
  }
}
