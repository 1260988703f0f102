/**
 * The platform operator's view: every organisation (with its learner and class counts) and the
 * latest import runs with their status. Cache statistics and Redis health are read live by the
 * route (they describe this moment, and caching them would report the cache's own hits).
 *
 * One global entry, one minute; every import deletes it by key (`invalidation-rules.ts`).
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { withCache } from 'satchel'
import type { Database } from '../../../db/client.js'
import { type DashboardDeps, dashboardCache, dashboardKeys, dashboardOptions } from '../cache.js'
import { rowsOf } from '../sql.js'

/** Organisations listed at most (the total is given beside them). */
export const MAX_ORGS = 200
/** Import runs listed. */
export const RECENT_RUNS = 20

/** What the operator's view shows (besides the live cache figures). */
export interface PlatformDashboard {
  view: 'platform'
  orgTotal: number
  orgs: {
    id: string
    name: string
    type: string
    parentId: string | null
    students: number
    classes: number
  }[]
  runs: {
    id: string
    orgId: string | null
    source: string
    origin: string
    status: string
    startedAt: string
    finishedAt: string | null
    rowsInserted: number
    rowsUpdated: number
    rowsRejected: number
  }[]
  computedAt: string
}

/** Reads the operator's view from PostgreSQL (three queries). */
export async function loadPlatformDashboard(db: Database): Promise<PlatformDashboard> {
  const [orgs, [total], runs] = await Promise.all([
    rowsOf<{
      id: string
      name: string
      type: string
      parent_id: string | null
      students: number
      classes: number
    }>(
      db,
      sql`select o.sourced_id as id, o.name, o.type, o.parent_sourced_id as parent_id,
            (select count(distinct ur.user_sourced_id) from user_roles ur
              where ur.org_sourced_id = o.sourced_id and ur.role = 'student')::int as students,
            (select count(*) from classes c where c.school_sourced_id = o.sourced_id)::int as classes
          from orgs o order by o.parent_sourced_id nulls first, o.sourced_id limit ${MAX_ORGS}`,
    ),
    rowsOf<{ n: number }>(db, sql`select count(*)::int as n from orgs`),
    rowsOf<{
      id: string
      org_id: string | null
      source: string
      origin: string
      status: string
      started_at: Date | string
      finished_at: Date | string | null
      rows_inserted: number
      rows_updated: number
      rows_rejected: number
    }>(
      db,
      sql`select id, org_sourced_id as org_id, source, origin, status, started_at, finished_at,
            rows_inserted, rows_updated, rows_rejected
          from import_runs order by started_at desc limit ${RECENT_RUNS}`,
    ),
  ])
  return {
    view: 'platform',
    orgTotal: total?.n ?? 0,
    orgs: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      type: o.type,
      parentId: o.parent_id,
      students: o.students,
      classes: o.classes,
    })),
    runs: runs.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      source: r.source,
      origin: r.origin,
      status: r.status,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      rowsInserted: r.rows_inserted,
      rowsUpdated: r.rows_updated,
      rowsRejected: r.rows_rejected,
    })),
    computedAt: new Date().toISOString(),
  }
}

/** The platform view's cache entry, for `cache.warm`. */
export function platformEntry(deps: DashboardDeps) {
  return {
    key: dashboardKeys.platform(deps.satchel),
    factory: () => loadPlatformDashboard(deps.db),
    options: dashboardOptions<PlatformDashboard>([]),
  }
}

/** Reads the platform view through the dashboards cache. */
export function platformRepository(deps: DashboardDeps): () => Promise<PlatformDashboard> {
  return withCache(
    () => dashboardCache(deps.satchel),
    dashboardKeys.platform(deps.satchel),
    () => loadPlatformDashboard(deps.db),
    dashboardOptions<PlatformDashboard>([]),
  )
}
