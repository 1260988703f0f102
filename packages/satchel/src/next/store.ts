/**
 * The storage both Next handlers share: entries in one satchel cache namespace (L1 + Redis, bus
 * invalidation), Next's tags as satchel tags, and soft-tag epochs.
 *
 * ## Tags
 *
 * An entry's own tags (a page's `x-next-cache-tags` header: its fetch tags and implicit
 * `_N_T_/…` path tags; a fetch's `tags`) are stored as satchel tags, so `revalidateTag` /
 * `revalidatePath` is one `invalidateTags` call: a stamp in Redis plus a bus message, and the
 * entry becomes a miss on every instance (see `src/cache/tags.ts` for the consistency model).
 *
 * Next also checks *soft* tags at read time: the implicit tags of the route that is reading a
 * `fetch` or `use cache` entry, which the entry was not stored with. For those each tag has an
 * epoch entry (`#epoch:<tag>`, value = when it was created), itself stored under that tag, so an
 * invalidation makes it a miss everywhere. A live epoch E means the tag was last invalidated
 * before E; an entry written at or after E is valid for that tag; an older entry, or any entry
 * when the epoch is missing (then re-created as now), is treated as invalidated. Misses create
 * the epochs too, since Next reads before it writes. That is conservative: the worst case is
 * one extra render or fetch, never a stale read.
 *
 * ## Failure policy
 *
 * Every method here fails open: with Redis slow or down the satchel cache answers from L1 within
 * its command deadline or reports a miss, and nothing here throws into Next (a miss makes Next
 * render; a failed write is logged).
 *
 * @module
 */
import type { Cache } from '../cache/types.js'
import type { Satchel } from '../satchel.js'
import type { ResolvedNextCacheOptions } from './options.js'

const EPOCH = '#epoch:'

/** Clamp Next's lifetime (seconds; `undefined` = none given) to `[1 s, maxTtl]`, in ms. */
export function entryTtlMs(seconds: number | undefined, maxTtlMs: number): number {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return maxTtlMs
  return Math.min(Math.max(seconds * 1000, 1000), maxTtlMs)
}

/** Next's entries in satchel. Created lazily by the handlers on their first call. */
export class NextStore {
  readonly satchel: Satchel
  readonly cache: Cache
  readonly #namespace: string
  readonly #maxTtlMs: number

  constructor(options: ResolvedNextCacheOptions) {
    this.satchel = options.satchel()
    this.#namespace = options.namespace
    this.#maxTtlMs = options.maxTtlMs
    // Next decides staleness itself (from lastModified and its revalidate/expire), so satchel
    // keeps no grace period and never runs a factory: entries are plain get/set.
    this.cache = this.satchel.cache.namespace(options.namespace, { grace: 0 })
  }

  /** The satchel tag for a Next tag. */
  tag(tag: string): string {
    return `${this.#namespace}:${tag}`
  }

  ttlMs(seconds: number | undefined): number {
    return entryTtlMs(seconds, this.#maxTtlMs)
  }

  async read<T>(key: string): Promise<T | undefined> {
    try {
      return await this.cache.get<T>(key)
    } catch (error) {
      this.#warn(error, key, 'read')
      return undefined
    }
  }

  async write(key: string, value: unknown, tags: readonly string[], ttlMs: number): Promise<void> {
    try {
      await this.cache.set(key, value, {
        ttl: ttlMs,
        jitter: 0,
        ...(tags.length > 0 ? { tags: tags.map((t) => this.tag(t)) } : {}),
      })
    } catch (error) {
      this.#warn(error, key, 'write')
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await this.cache.del(key)
    } catch (error) {
      this.#warn(error, key, 'delete')
    }
  }

  /** Invalidates Next tags on every instance (stamp in Redis + bus message). */
  async invalidate(tags: readonly string[]): Promise<void> {
    const unique = [...new Set(tags.filter((t) => typeof t === 'string' && t.length > 0))]
    if (unique.length === 0) return
    try {
      await this.cache.invalidateTags(unique.map((t) => this.tag(t)))
    } catch (error) {
      this.#warn(error, unique.join(','), 'invalidate')
    }
  }

  /**
   * Whether an entry written at `writtenAt` (epoch ms) is still valid for these soft tags; see
   * the module comment. One `mget` (usually L1 hits); missing epochs are created.
   */
  async softTagsAllow(
    softTags: readonly string[] | undefined,
    writtenAt: number,
  ): Promise<boolean> {
    if (softTags === undefined || softTags.length === 0) return true
    const tags = [...new Set(softTags)]
    let epochs: (number | undefined)[]
    try {
      epochs = await this.cache.mget<number>(tags.map((t) => EPOCH + t))
    } catch (error) {
      this.#warn(error, tags.join(','), 'read epochs')
      return false
    }
    let valid = true
    const missing: string[] = []
    for (let i = 0; i < tags.length; i++) {
      const epoch = epochs[i]
      if (typeof epoch !== 'number') missing.push(tags[i]!)
      else if (writtenAt < epoch) valid = false
    }
    if (missing.length > 0) {
      valid = false
      const now = Date.now()
      await Promise.all(missing.map((t) => this.write(EPOCH + t, now, [t], this.#maxTtlMs)))
    }
    return valid
  }

  #warn(error: unknown, key: string, action: string): void {
    this.satchel.logger.warn(
      { err: error, key, action },
      'satchel/next: cache call failed; Next renders instead',
    )
  }
}
