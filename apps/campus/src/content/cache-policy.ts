import type { Duration } from 'satchel'

/** How content loaders cache what they read: one policy per process, in the content context. */
export interface ContentCachePolicy {
  /** How long a value is fresh. */
  ttl: Duration
  /** How long past `ttl` a stale value is still served while one caller rebuilds it. */
  grace: Duration
  /**
   * Keep decoded values in the in-process tier. `false` sends every read to Redis, as on hosts
   * where each request may land on a fresh instance; the egress benchmark uses it so Redis
   * bytes per view are what such a fleet would pay.
   */
  l1: boolean
}

/**
 * How long content stays cached. Content changes only through the course builder, which
 * invalidates what it touches, so the TTL only bounds how long a missed invalidation (Redis
 * down during a mutation) can show old data; grace serves the old value while one process
 * rebuilds it, so a popular course never waits on the database.
 */
export const CONTENT_CACHE: ContentCachePolicy = { ttl: '30m', grace: '1d', l1: true }

/**
 * How long a "not found" answer (an unknown course slug, a subject with no courses, a resource
 * in no course) stays cached: long enough that a burst of made-up URLs costs one database query
 * per URL rather than one per request, short enough that Redis holds no more than half a minute
 * of them (no grace: a negative answer is never kept as a stale fallback). The course builder and
 * imports delete the keys they make wrong, so a course that appears is found at once.
 */
export const NOT_FOUND_CACHE = { ttl: '30s', grace: 0 } as const
