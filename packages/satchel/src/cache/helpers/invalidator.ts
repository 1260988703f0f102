import type { Cache } from '../types.js'

/** What one entity change invalidates. */
export interface InvalidationTargets {
  /** Exact keys, deleted from both tiers on every instance. */
  keys?: readonly string[]
  /** Tags: every entry carrying one becomes a miss everywhere (O(tags) commands). */
  tags?: readonly string[]
  /**
   * Redis globs over full keys, cleared with SCAN + UNLINK on every master. The costliest form:
   * prefer tags for anything on a request path, and escape user input with `escapeGlob`.
   */
  patterns?: readonly string[]
}

/** Maps each kind of entity change to what it invalidates. */
export type InvalidationRules = Record<string, (...args: never[]) => InvalidationTargets>

/** What one invalidation removed. */
export interface InvalidationResult {
  /** L2 entries that existed among `keys`. */
  keys: number
  /** Entries removed by `patterns`. */
  patterns: number
  /** Tags invalidated. */
  tags: number
}

/** One method per rule, taking the rule's arguments. */
export type Invalidator<R extends InvalidationRules> = {
  [K in keyof R]: (...args: Parameters<R[K]>) => Promise<InvalidationResult>
}

/**
 * Builds a `CacheInvalidator` from declarative rules: each rule maps an entity change to
 * keys, tags and patterns, and the generated method calls `del`, `invalidateTags` and
 * `delPattern` concurrently. Like every cache call it does not throw for Redis trouble: an
 * invalidation Redis could not take is counted in `cache.stats().redisErrors` (watch it), and the
 * entries it missed live at most their TTL. Bad input (an empty tag) still throws.
 *
 * @example
 * ```ts
 * const invalidate = createInvalidator(satchel.cache, {
 *   course: (orgId: string, courseId: string) => ({
 *     keys: [satchel.keys.org(orgId).key('course', courseId)],
 *     tags: [`course:${courseId}`],
 *   }),
 *   analytics: (orgId: string) => ({ patterns: [satchel.keys.org(orgId).pattern('analytics')] }),
 * })
 * await invalidate.course('org-7', 'c-42')
 * ```
 */
export function createInvalidator<R extends InvalidationRules>(
  cache: Pick<Cache, 'del' | 'invalidateTags' | 'delPattern'>,
  rules: R,
): Invalidator<R> {
  const invalidator: Partial<Record<keyof R, unknown>> = {}
  for (const name of Object.keys(rules) as (keyof R)[]) {
    const rule = rules[name] as (...args: unknown[]) => InvalidationTargets
    invalidator[name] = (...args: unknown[]) => apply(cache, rule(...args))
  }
  return invalidator as Invalidator<R>
}

async function apply(
  cache: Pick<Cache, 'del' | 'invalidateTags' | 'delPattern'>,
  targets: InvalidationTargets,
): Promise<InvalidationResult> {
  const keys = [...new Set(targets.keys ?? [])]
  const tags = [...new Set(targets.tags ?? [])]
  const patterns = [...new Set(targets.patterns ?? [])]
  const [deleted, , cleared] = await Promise.all([
    keys.length > 0 ? cache.del(...keys) : 0,
    tags.length > 0 ? cache.invalidateTags(tags) : undefined,
    Promise.all(patterns.map((pattern) => cache.delPattern(pattern))),
  ])
  return { keys: deleted, patterns: cleared.reduce((sum, n) => sum + n, 0), tags: tags.length }
}
