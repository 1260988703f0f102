/**
 * What changed in the data campus's analytics read (search, reports, dashboards, cohorts), told
 * by the code that wrote it: imports and graded attempts. Each analytics family lists what such a
 * change makes stale in {@link CHANGE_HANDLERS}; writers call {@link announceDataChange} after
 * their transaction commits, so no writer needs to know which caches exist, and a new family is
 * one line here rather than one line in every writer.
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { ImportSource } from '../db/schema.js'
import { cohortChangeHandler } from './cohorts/invalidation.js'
import { dashboardChangeHandler } from './dashboards/invalidation.js'
import { searchAndReportsChanges } from './reports/invalidation.js'

/** A committed change to analytics inputs. */
export type DataChange =
  | {
      readonly kind: 'import'
      readonly source: ImportSource
      /** Organisations whose rows the import wrote. */
      readonly orgIds: readonly string[]
      /** Users whose rows (roles, enrollments, scores) changed, where the importer knows them. */
      readonly userIds: readonly string[]
    }
  | {
      readonly kind: 'attempt'
      readonly orgId: string
      readonly userId: string
      readonly courseId: string
    }

/** What a handler may use: the shared cache and the database (for warmers). */
export interface ChangeDeps {
  readonly satchel: Satchel
  readonly db: Database
  readonly logger: { warn(fields: object, message: string): void }
}

/** One analytics family's reaction to a change: invalidate, then optionally warm. */
export interface ChangeHandler {
  readonly name: string
  handle(deps: ChangeDeps, change: DataChange): Promise<unknown>
}

/** Every family's handler; each runs on every change. */
const CHANGE_HANDLERS: readonly ChangeHandler[] = [
  searchAndReportsChanges,
  cohortChangeHandler,
  dashboardChangeHandler,
]

/**
 * Runs every {@link ChangeHandler} concurrently. Never throws: the data is committed either way,
 * and a handler that failed (Redis down) leaves entries that live at most their TTL, which each
 * family keeps short for exactly that reason. Failures are logged with the handler's name.
 *
 * @returns the names of the handlers that failed (empty when all succeeded)
 */
export async function announceDataChange(deps: ChangeDeps, change: DataChange): Promise<string[]> {
  const settled = await Promise.allSettled(CHANGE_HANDLERS.map((h) => h.handle(deps, change)))
  const failed: string[] = []
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return
    const name = CHANGE_HANDLERS[i]?.name ?? 'unknown'
    failed.push(name)
    deps.logger.warn({ err: outcome.reason, handler: name, change }, 'analytics not invalidated')
  })
  return failed
}
