/**
 * Tag invalidation by timestamp: `invalidateTags(tags)` records "now" for each tag in ONE hash
 * (`<prefix>:c:tags`, one script call for any number of tags) and an entry is invalid when any of
 * its tags carries a stamp at or after the entry's `createdAt`. Nothing is deleted and no key lists
 * are kept, so the cost is the same whether a tag covers ten keys or ten million; invalid entries
 * expire with their own TTL.
 *
 * ## Consistency model
 *
 * - A call that passes `tags` reads the stamps with the value, in the same round trip
 *   (GET and HMGET are written to the socket together), so it never serves an entry invalidated
 *   before the read started, whatever the bus did.
 * - Otherwise (L1 hits, `get` without `tags`) the entry is checked against the stamps this
 *   process knows: its own invalidations, stamps read earlier, and `tags` messages from the bus.
 *   A tag never seen is read from Redis once. A missed bus message is covered by the bus's
 *   resync, which forgets every known stamp and clears L1. Without a bus, another instance's
 *   invalidation reaches this process's untagged reads once it next reads that tag's stamps.
 * - Stamps are Redis server time in ms, and only move forward: the invalidation script writes
 *   `max(previous + 1, server now)` (`scripts.ts`), so out-of-order invalidations and skewed
 *   client clocks cannot move a stamp back. A load that takes the stampede lock dates its entry
 *   with the server time the lock answered with, so both sides of the comparison use one clock.
 *   Entries written by `set`, and loads without the distributed lock, carry the writer's clock:
 *   skew between that host and Redis blurs the boundary for them; keep hosts NTP-synchronised.
 * - The hash grows with the number of distinct tags ever invalidated (it holds one small field
 *   each); use tags from a bounded vocabulary (`course:42`, not request ids).
 *
 * @module
 */
import type { Entry } from './entry.js'

/** Known tag stamps of one process. */
export class TagStamps {
  readonly #known = new Map<string, number>()

  /**
   * @param key - the Redis hash holding every tag's stamp.
   * @param authoritative - memory-only: this process is the only writer, so a tag it never saw
   *   was never invalidated.
   */
  constructor(
    readonly key: string,
    readonly authoritative: boolean,
  ) {}

  /**
   * Whether the entry is still valid against known stamps; `undefined` when one of its tags has
   * never been seen (the caller reads it from Redis).
   */
  check(entry: Entry): boolean | undefined {
    const tags = entry.tags
    if (tags === undefined) return true
    let unknown = false
    for (let i = 0; i < tags.length; i++) {
      const stamp = this.#known.get(tags[i]!)
      if (stamp === undefined) unknown = true
      else if (stamp >= entry.createdAt) return false
    }
    return unknown && !this.authoritative ? undefined : true
  }

  /** Tags of `entry` whose stamps this process does not know. */
  unknownTags(entry: Entry): string[] {
    return (entry.tags ?? []).filter((t) => !this.#known.has(t))
  }

  /** Records stamps read from Redis (`HMGET` replies; `null` = never invalidated). */
  learn(tags: readonly string[], replies: readonly (string | null)[]): void {
    for (let i = 0; i < tags.length; i++) {
      const reply = replies[i]
      const stamp = reply === null || reply === undefined ? 0 : Number(reply)
      this.apply(tags[i]!, Number.isFinite(stamp) ? stamp : 0)
    }
  }

  /** Records an invalidation (own or from the bus); stamps only move forward. */
  apply(tag: string, at: number): void {
    const current = this.#known.get(tag)
    if (current === undefined || at > current) this.#known.set(tag, at)
  }

  /**
   * A `createdAt` for data read at `at` (default now) under `tags`: `at`, or just after the latest known
   * invalidation of those tags when it happened in this same millisecond (so `invalidateTags`
   * then `set` in one tick leaves a valid entry).
   */
  createdAt(tags: readonly string[] | undefined, at = Date.now()): number {
    let now = at
    if (tags === undefined) return now
    for (const tag of tags) {
      const stamp = this.#known.get(tag)
      if (stamp !== undefined && stamp >= now) now = stamp + 1
    }
    return now
  }

  /** Forgets every stamp (bus resync: messages may have been missed). */
  clear(): void {
    this.#known.clear()
  }
}
