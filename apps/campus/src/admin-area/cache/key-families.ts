/**
 * Keys in Redis by family, for the cache dashboard: a bounded SCAN (never KEYS) over the
 * campus prefix on every master, grouped by the key's family (`oneroster-course-bundle`,
 * `rl`, `sess`, …). The walk stops after {@link MAX_KEYS} keys or {@link MAX_MS}, so on a big
 * keyspace the counts are a sample and the page says so.
 *
 * @module
 */
import type { Satchel } from 'satchel'

/** Keys examined at most. */
export const MAX_KEYS = 20_000
/** Longest walk (ms). */
export const MAX_MS = 1_000

/** The family counts. */
export interface KeyFamilies {
  readonly families: ReadonlyArray<{ family: string; keys: number }>
  /** Keys examined. */
  readonly scanned: number
  /** True when the walk stopped early: the counts are a sample. */
  readonly partial: boolean
  /** Null when Redis answered; otherwise why there are no counts. */
  readonly unavailable: string | null
}

/**
 * The family of a key under `prefix`: tenant and global cache entries by their first part after
 * the scope (`campus:o:<org>:<family>:…`, `campus:g:<family>:…`), namespaces by name, and the
 * other capabilities by their segment (`rl`, `lock`, `idem`, `sess`, `cnt`, `c` for the cache's
 * own bookkeeping).
 */
export function familyOf(key: string, prefix: string): string {
  const parts = key.slice(prefix.length + 1).split(':')
  const [scope, second, third] = parts
  if (scope === 'o') return third?.replace(/^\{.*$/, 'slot') ?? 'other'
  if (scope === 'g') return second ?? 'other'
  if (scope === 'ns') return `ns:${second ?? ''}`
  if (scope === 'c') return `cache-internal:${second ?? ''}`
  return scope ?? 'other'
}

/** Counts keys by family (see the module comment). */
export async function keyFamilies(satchel: Satchel, prefix: string): Promise<KeyFamilies> {
  const client = satchel.redis.client
  if (!client || satchel.redis.closed) {
    return { families: [], scanned: 0, partial: false, unavailable: 'Redis is not configured' }
  }
  const masters =
    'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client]
  const counts = new Map<string, number>()
  const deadline = Date.now() + MAX_MS
  let scanned = 0
  let partial = false
  try {
    for (const node of masters) {
      let cursor = '0'
      do {
        if (scanned >= MAX_KEYS || Date.now() > deadline) {
          partial = true
          break
        }
        const [next, keys] = await withTimeout(
          node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500),
          Math.max(1, deadline - Date.now()),
        )
        cursor = next
        for (const key of keys) {
          const family = familyOf(key, prefix)
          counts.set(family, (counts.get(family) ?? 0) + 1)
        }
        scanned += keys.length
      } while (cursor !== '0')
    }
  } catch (error) {
    return { families: [], scanned, partial: true, unavailable: (error as Error).message }
  }
  const families = [...counts.entries()]
    .map(([family, keys]) => ({ family, keys }))
    .sort((a, b) => b.keys - a.keys || a.family.localeCompare(b.family))
  return { families, scanned, partial, unavailable: null }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer SCAN within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
