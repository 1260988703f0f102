/**
 * Dashboard warmers: load the administrator, pending-count, teacher and platform entries of some
 * organisations (or all) through `cache.warm`, with the same keys, loaders and options the reads
 * use, so a warmed entry is exactly what the next read would have loaded. Student views are not
 * warmed: there are hundreds per school, each is cheap, and most are opened rarely.
 *
 * Run at start (in the background, `startDashboardWarmup`) and after imports (the change
 * handler). Never throws for a failed entry: warming is an optimisation, the reads load on a
 * miss anyway.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { FactoryContext, WarmEntry, WarmResult } from 'satchel'
import { DASHBOARD_TTL_MS, type DashboardDeps, dashboardCache } from './cache.js'
import { pendingEntry } from './repositories/pending.js'
import { platformEntry } from './repositories/platform.js'
import { schoolEntry } from './repositories/school.js'
import { teacherEntry } from './repositories/teacher.js'
import { inList, rowsOf } from './sql.js'

/** Loads in flight while warming: well below the database pool, other requests go on. */
export const WARM_CONCURRENCY = 2

/** What a warm run reports. */
export interface WarmProgressLine {
  done: number
  total: number
  failed: number
}

/** Options of {@link warmDashboards}. */
export interface WarmDashboardsOptions {
  /** Organisations whose views to warm; undefined → every organisation. */
  orgIds?: readonly string[] | undefined
  /** Called after each entry (for progress logs). */
  onProgress?: (progress: WarmProgressLine) => void
}

/**
 * Warms the administrator and pending-count views of `orgIds`, the views of teachers who hold a
 * teacher role in them, and the platform view.
 *
 * @example await warmDashboards({ satchel, db }, { orgIds: ['org-school-01'] })
 */
export async function warmDashboards(
  deps: DashboardDeps,
  options: WarmDashboardsOptions = {},
): Promise<WarmResult> {
  const orgIds =
    options.orgIds ??
    (await rowsOf<{ id: string }>(deps.db, sql`select sourced_id as id from orgs order by 1`)).map(
      (r) => r.id,
    )
  const teachers = await rowsOf<{ org_id: string; user_id: string }>(
    deps.db,
    sql`select distinct org_sourced_id as org_id, user_sourced_id as user_id from user_roles
        where role = 'teacher' and org_sourced_id in ${inList(orgIds)} order by 1, 2`,
  )
  const entries: WarmEntry<unknown>[] = [untyped(platformEntry(deps))]
  for (const orgId of orgIds) {
    entries.push(untyped(schoolEntry(deps, orgId)), untyped(pendingEntry(deps, orgId)))
  }
  for (const t of teachers) entries.push(untyped(teacherEntry(deps, t.org_id, t.user_id)))
  return dashboardCache(deps.satchel).warm(entries, {
    concurrency: WARM_CONCURRENCY,
    onProgress: (p) => options.onProgress?.({ done: p.done, total: p.total, failed: p.failed }),
  })
}

/** One list for `cache.warm` holds entries of several value types; the options are the same. */
function untyped<T>(entry: WarmEntry<T>): WarmEntry<unknown> {
  return {
    key: entry.key,
    factory: (ctx) => entry.factory(ctx as FactoryContext<T>),
    options: { ttl: DASHBOARD_TTL_MS, tags: entry.options?.tags ?? [] },
  }
}

/** A logger as the start-up warmer needs it. */
export interface WarmLogger {
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
}

/** Share of the entries between two progress lines. */
const PROGRESS_STEP = 0.25

/**
 * Warms every organisation's dashboards in the background and logs progress (`dashboards
 * warming` every quarter, `dashboards warmed` at the end). Returns the run's promise, which
 * never rejects: a start must not fail, or wait, because Redis or a query is unwell.
 */
export function startDashboardWarmup(
  deps: DashboardDeps,
  logger: WarmLogger,
): Promise<WarmResult | undefined> {
  const started = performance.now()
  let nextLine = PROGRESS_STEP
  return warmDashboards(deps, {
    onProgress: (p) => {
      if (p.total === 0 || p.done / p.total < nextLine || p.done === p.total) return
      nextLine += PROGRESS_STEP
      logger.info({ ...p }, 'dashboards warming')
    },
  }).then(
    (result) => {
      logger.info(
        {
          loaded: result.loaded,
          failed: result.failed,
          ms: Math.round(performance.now() - started),
        },
        'dashboards warmed',
      )
      return result
    },
    (error: unknown) => {
      logger.warn({ err: error }, 'dashboards not warmed')
      return undefined
    },
  )
}
