/**
 * The dispatch cache on satchel: tenants (1 h), dispatched courses (10 min), dispatch status
 * (5 min), a tenant's dispatch lists (5 min) and the tenant dashboard (1 min), each read through
 * `getOrSet` (one database load per key across every campus process) and each invalidated by
 * the writes that change it:
 *
 * | write | invalidates |
 * |---|---|
 * | tenant created or edited | its tenant entry, its dashboard |
 * | dispatch created or edited | its status entry, every list page of its tenant (pattern), its tenant's dashboard |
 * | registration created, or a run-time commit | its tenant's dashboard |
 *
 * Missing rows are not cached (`shouldCache`), so a probe for an id cannot fill the cache, and
 * nothing here caches a refusal. Redis is an accelerator only: when it is down every read is
 * L1, then the database; an invalidation Redis could not take is counted by satchel
 * (`redisErrors`) and the entry lives at most its TTL, while launches re-check every status in
 * their database transaction anyway (`launch.ts`).
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import { type DispatchKeys, dispatchKeys } from './keys.js'
import { computeDashboard, type DashboardStats } from './stats.js'
import { loadDispatch, loadDispatchList, loadTenant } from './store.js'
import type { CourseView, DispatchView, TenantView } from './types.js'

/** TTLs of the dispatch cache (docs/scorm-dispatch.md). */
export const DISPATCH_TTL = {
  tenant: '1h',
  course: '10m',
  dispatch: '5m',
  dispatchList: '5m',
  dashboard: '1m',
} as const

/** Which dispatches a list page shows. */
export const DISPATCH_LIST_FILTERS = ['all', 'enabled', 'disabled'] as const
/** One of {@link DISPATCH_LIST_FILTERS}. */
export type DispatchListFilter = (typeof DISPATCH_LIST_FILTERS)[number]

/** Loads a dispatched package's summary; null when the organisation has no such package. */
export type CourseLoader = (orgId: string, packageId: string) => Promise<CourseView | null>

/** Reads and invalidations of the dispatch cache. */
export interface DispatchCache {
  readonly keys: DispatchKeys
  tenant(orgId: string, tenantId: string): Promise<TenantView | null>
  course(orgId: string, packageId: string): Promise<CourseView | null>
  dispatch(orgId: string, dispatchId: string): Promise<DispatchView | null>
  dispatchList(
    orgId: string,
    tenantId: string,
    filter?: DispatchListFilter,
  ): Promise<DispatchView[]>
  dashboard(orgId: string, tenantId: string): Promise<DashboardStats>
  /** After a tenant's row changed. */
  tenantChanged(orgId: string, tenantId: string): Promise<void>
  /** After a dispatch's row changed (or was created). */
  dispatchChanged(orgId: string, tenantId: string, dispatchId: string): Promise<void>
  /** After a registration of the tenant was created or committed to. */
  registrationsChanged(orgId: string, tenantId: string): Promise<void>
}

const found = (value: unknown): boolean => value !== null

/** Builds the dispatch cache over `satchel.cache` and the database. */
export function createDispatchCache(
  satchel: Satchel,
  db: Database,
  loadCourse: CourseLoader,
): DispatchCache {
  const keys = dispatchKeys(satchel)
  const cache = satchel.cache
  return {
    keys,
    tenant: (orgId, tenantId) =>
      cache.getOrSet(keys.tenant(orgId, tenantId), () => loadTenant(db, orgId, tenantId), {
        ttl: DISPATCH_TTL.tenant,
        shouldCache: found,
      }),
    course: (orgId, packageId) =>
      cache.getOrSet(keys.course(orgId, packageId), () => loadCourse(orgId, packageId), {
        ttl: DISPATCH_TTL.course,
        shouldCache: found,
      }),
    dispatch: (orgId, dispatchId) =>
      cache.getOrSet(keys.dispatch(orgId, dispatchId), () => loadDispatch(db, orgId, dispatchId), {
        ttl: DISPATCH_TTL.dispatch,
        shouldCache: found,
      }),
    dispatchList: (orgId, tenantId, filter = 'all') =>
      cache.getOrSet(
        keys.dispatchList(orgId, tenantId, `status=${filter}`),
        async () => {
          const all = await loadDispatchList(db, orgId, tenantId)
          return filter === 'all' ? all : all.filter((d) => d.enabled === (filter === 'enabled'))
        },
        { ttl: DISPATCH_TTL.dispatchList },
      ),
    dashboard: (orgId, tenantId) =>
      cache.getOrSet(keys.dashboard(orgId, tenantId), () => computeDashboard(db, orgId, tenantId), {
        ttl: DISPATCH_TTL.dashboard,
      }),
    async tenantChanged(orgId, tenantId) {
      await cache.del(keys.tenant(orgId, tenantId), keys.dashboard(orgId, tenantId))
    },
    async dispatchChanged(orgId, tenantId, dispatchId) {
      await Promise.all([
        cache.del(keys.dispatch(orgId, dispatchId), keys.dashboard(orgId, tenantId)),
        cache.delPattern(keys.dispatchListPattern(orgId, tenantId)),
      ])
    },
    async registrationsChanged(orgId, tenantId) {
      await cache.del(keys.dashboard(orgId, tenantId))
    },
  }
}
