/**
 * Whether an entry read from Redis still holds against its tags' invalidation stamps.
 *
 * @module
 */
import type { CacheCore } from './core.js'
import type { Entry } from './entry.js'
import type { NamespaceCounters } from './stats.js'

/** A namespace as the load path sees it: the shared core and the namespace's counters. */
export interface LoadTarget {
  readonly core: CacheCore
  readonly counters: NamespaceCounters
}

/**
 * Whether `entry`'s tags still hold; reads unknown tag stamps, and without a bus all of them
 * (nothing else tells this process about other instances' invalidations), unless the caller just
 * read them with the value (`stampsJustRead`).
 */
export async function isValid(
  t: LoadTarget,
  entry: Entry,
  stampsJustRead: boolean,
): Promise<boolean> {
  if (entry.tags === undefined) return true
  const { stamps, l2 } = t.core
  let valid = stamps.check(entry)
  if (valid === false) return false
  const distrust = t.core.bus === undefined && !stampsJustRead && l2.enabled
  if (valid === undefined || distrust) {
    const tags = valid === undefined ? stamps.unknownTags(entry) : entry.tags
    await l2.learnTags(tags, t.counters)
    valid = stamps.check(entry)
  }
  // A tag whose stamp Redis could not tell us is treated as valid: fail open, like L1.
  return valid !== false
}

/**
 * The tags whose stamps a batch of entries needs before it can be checked: the unknown ones,
 * and without a bus every tag (see {@link isValid}).
 */
export function tagsToRead(t: LoadTarget, entries: readonly Entry[]): string[] {
  const { stamps, l2 } = t.core
  const distrust = t.core.bus === undefined && l2.enabled
  const out = new Set<string>()
  for (const e of entries) {
    if (e.tags === undefined) continue
    const tags = distrust ? e.tags : stamps.check(e) === undefined ? stamps.unknownTags(e) : []
    for (const tag of tags) out.add(tag)
  }
  return [...out]
}

/** Eager refresh is due once `fraction` of the entry's fresh life has passed. */
export function eagerDue(e: Entry, fraction: number, now: number): boolean {
  return now >= e.createdAt + fraction * (e.freshUntil - e.createdAt)
}
