/**
 * The administrator dashboard's pending login-link count over the session organisation's
 * subtree. Its own entry, tagged `pendingTag(orgId)`: creating, approving or rejecting a request
 * drops it for the request's organisation and every ancestor (`invalidation-rules.ts`), and
 * nothing else does, so the much larger school view is not reloaded for it.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { withCacheParam } from 'satchel'
import type { Database } from '../../../db/client.js'
import { orgSubtree } from '../../scope.js'
import {
  type DashboardDeps,
  dashboardCache,
  dashboardKeys,
  dashboardOptions,
  pendingTag,
} from '../cache.js'
import { inList, rowsOf } from '../sql.js'

/** Pending login-link requests in `orgId`'s subtree (two queries). */
export async function loadPendingCount(db: Database, orgId: string): Promise<number> {
  const subtree = await orgSubtree(db, orgId)
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from login_link_requests
        where org_sourced_id in ${inList(subtree)} and status = 'pending'`,
  )
  return row?.n ?? 0
}

/** The pending count's cache entry, for `cache.warm`. */
export function pendingEntry(deps: DashboardDeps, orgId: string) {
  return {
    key: dashboardKeys.pending(deps.satchel, orgId),
    factory: () => loadPendingCount(deps.db, orgId),
    options: dashboardOptions<number>([pendingTag(orgId)]),
  }
}

/** Reads the pending count through the dashboards cache. */
export function pendingRepository(deps: DashboardDeps): (orgId: string) => Promise<number> {
  return withCacheParam(
    () => dashboardCache(deps.satchel),
    (orgId: string) => dashboardKeys.pending(deps.satchel, orgId),
    (orgId: string) => loadPendingCount(deps.db, orgId),
    (orgId: string) => dashboardOptions<number>([pendingTag(orgId)]),
  )
}
