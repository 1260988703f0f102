/**
 * A view that belongs to one person (a student's or a teacher's dashboard): one cache entry per
 * organisation and person, tagged with the person (a graded attempt drops it) and with the
 * dashboards' organisation tag (an import drops it). One definition serves the read and the
 * warmer, so they cannot key or tag the entry differently.
 *
 * @module
 */
import { type Satchel, type WarmEntry, withCacheParam } from 'satchel'
import type { Database } from '../../../db/client.js'
import { userTag } from '../../tags.js'
import { type DashboardDeps, dashboardCache, dashboardOptions, dashboardsTag } from '../cache.js'

/** How a personal view is read and warmed. */
export interface PersonalView<T> {
  /** The view's cache entry, for `cache.warm`. */
  entry(deps: DashboardDeps, orgId: string, userId: string): WarmEntry<T>
  /** Reads the view through the dashboards cache. */
  repository(deps: DashboardDeps): (orgId: string, userId: string) => Promise<T>
}

/** Builds a {@link PersonalView} from its key and its loader. */
export function personalView<T>(
  key: (satchel: Satchel, orgId: string, userId: string) => string,
  load: (db: Database, orgId: string, userId: string) => Promise<T>,
): PersonalView<T> {
  const options = (orgId: string, userId: string) =>
    dashboardOptions<T>([userTag(orgId, userId), dashboardsTag(orgId)])
  return {
    entry: (deps, orgId, userId) => ({
      key: key(deps.satchel, orgId, userId),
      factory: () => load(deps.db, orgId, userId),
      options: options(orgId, userId),
    }),
    repository: (deps) =>
      withCacheParam(
        () => dashboardCache(deps.satchel),
        (orgId: string, userId: string) => key(deps.satchel, orgId, userId),
        (orgId: string, userId: string) => load(deps.db, orgId, userId),
        options,
      ),
  }
}

/** One decimal place, as the views show means. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10
}
