/**
 * The dashboards' cache: one satchel namespace (its own hit/miss statistics), one TTL, and the
 * keys of every view. Keys are built with `satchel.keys.org(orgId)` from the session's
 * organisation (escaped, tenant-scoped); the only global key is the operator's platform view.
 * See docs/dashboards.md for the full table of keys, tags and invalidation rules.
 *
 * @module
 */
import type { Cache, CacheCallOptions, Satchel } from 'satchel'
import type { Database } from '../../db/client.js'
import { orgTag } from '../tags.js'

/** What the repositories read with: the shared cache and the database. */
export interface DashboardDeps {
  readonly satchel: Satchel
  readonly db: Database
}

/** Dashboards are fresh for one minute: they summarise activity that changes all day. */
export const DASHBOARD_TTL_MS = 60_000

/** Name of the satchel namespace (its stats appear as `dashboards`). */
export const DASHBOARD_NAMESPACE = 'dashboards'

const namespaces = new WeakMap<Satchel, Cache>()

/** The dashboards' namespace of `satchel`'s cache (one per satchel instance). */
export function dashboardCache(satchel: Satchel): Cache {
  let cache = namespaces.get(satchel)
  if (!cache) {
    // No grace: an invalidated or expired dashboard is reloaded, never served stale.
    cache = satchel.cache.namespace(DASHBOARD_NAMESPACE, { ttl: DASHBOARD_TTL_MS, grace: 0 })
    namespaces.set(satchel, cache)
  }
  return cache
}

/** The cache options of an entry with `tags`. */
export function dashboardOptions<T>(tags: readonly string[]): CacheCallOptions<T> {
  return { ttl: DASHBOARD_TTL_MS, tags: [...new Set(tags)] }
}

/** Keys of the four views. */
export const dashboardKeys = {
  student: (satchel: Satchel, orgId: string, userId: string) =>
    satchel.keys.org(orgId).key('dashboard', 'student', userId),
  teacher: (satchel: Satchel, orgId: string, userId: string) =>
    satchel.keys.org(orgId).key('dashboard', 'teacher', userId),
  school: (satchel: Satchel, orgId: string) => satchel.keys.org(orgId).key('dashboard', 'school'),
  pending: (satchel: Satchel, orgId: string) =>
    satchel.keys.org(orgId).key('dashboard', 'school', 'pending'),
  platform: (satchel: Satchel) => satchel.keys.global('dashboard', 'platform'),
} as const

/**
 * Every dashboard entry of an organisation's sessions (imports drop it): this family's
 * organisation-level tag, built on the shared prefix (analytics/tags.ts).
 */
export function dashboardsTag(orgId: string): string {
  return `${orgTag(orgId)}:dashboards`
}

/**
 * The tag of the pending login-link count of an organisation. Narrower than `dashboardsTag` on
 * purpose: a login-link request must not drop every analytics entry of its school.
 */
export function pendingTag(orgId: string): string {
  return `${orgTag(orgId)}:dashboard:pending`
}
