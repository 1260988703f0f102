/**
 * What an incremental cache entry looks like in satchel, and the tag bookkeeping Next's values
 * carry. Values go through satchel's codec as they are: MessagePack keeps `rscData`, route
 * bodies and segment data as binary (no base64, unlike JSON-based handlers), keeps
 * `segmentData`'s Map, and compresses values above the codec's threshold (16 KiB by default),
 * so a large page costs one compressed binary write.
 *
 * @module
 */
import type {
  NextCacheControl,
  NextCacheValue,
  NextGetContext,
  NextSetContext,
} from './next-types.js'

/** Next's header with a page's or route's tags (its fetch tags and implicit `_N_T_/…` tags). */
export const NEXT_CACHE_TAGS_HEADER = 'x-next-cache-tags'

/** One incremental cache entry as stored. */
export interface StoredIncrementalEntry {
  lastModified: number
  value: NextCacheValue
  cacheControl?: NextCacheControl
  /** The entry's own tags (also its satchel tags). */
  tags: string[]
}

/** The tags an entry is stored under. */
export function tagsOf(value: NextCacheValue, context: NextSetContext | undefined): string[] {
  const tags = new Set<string>()
  if (value.kind === 'FETCH') {
    for (const t of value.tags ?? []) tags.add(t)
    for (const t of context?.tags ?? []) tags.add(t)
  } else {
    const header = value.headers?.[NEXT_CACHE_TAGS_HEADER]
    if (typeof header === 'string') {
      for (const t of header.split(',')) if (t.length > 0) tags.add(t)
    }
  }
  return [...tags]
}

/**
 * Tags a read must check beyond the entry's own: a fetch's soft tags (the reading route's
 * implicit tags) and any fetch tag the entry was not written with.
 */
export function readTags(context: NextGetContext, stored: readonly string[]): string[] {
  if (context.kind !== 'FETCH') return []
  const own = new Set(stored)
  const extra: string[] = []
  for (const t of [...(context.tags ?? []), ...(context.softTags ?? [])]) {
    if (!own.has(t)) extra.push(t)
  }
  return extra
}

/** Lifetime Next gives the entry, in seconds, if any. */
export function lifetimeSeconds(
  value: NextCacheValue,
  context: NextSetContext | undefined,
): number | undefined {
  if (value.kind === 'FETCH') {
    // Next serves a fetch past `revalidate` while it refetches in the background, so the entry
    // must outlive it; twice is what Next's own fetch cache keeps.
    return typeof value.revalidate === 'number' ? value.revalidate * 2 : undefined
  }
  const expire = context?.cacheControl?.expire
  return typeof expire === 'number' ? expire : undefined
}

const BINARY_FIELDS = ['rscData', 'body', 'buffer'] as const

function toBuffer(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return value
}

/** Next calls Buffer methods on binary fields; the codec may hand back plain Uint8Arrays. */
export function restoreBinary(value: NextCacheValue): NextCacheValue {
  const out: Record<string, unknown> = { ...value }
  for (const field of BINARY_FIELDS) {
    if (out[field] !== undefined) out[field] = toBuffer(out[field])
  }
  if (out.segmentData instanceof Map) {
    const segments = new Map<string, unknown>()
    for (const [path, data] of out.segmentData as Map<string, unknown>)
      segments.set(path, toBuffer(data))
    out.segmentData = segments
  }
  return out as unknown as NextCacheValue
}
