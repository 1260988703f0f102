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
