/**
 * The dashboards' reaction to data changes (registered in `analytics/changes.ts`): invalidate
 * by the rules of `repositories/invalidation-rules.ts`, then, after an import, warm the affected
 * organisations' dashboards so the next administrator or teacher does not pay the cold load.
 *
 * @module
 */
import type { ChangeHandler } from '../changes.js'
import { orgAncestry } from '../scope.js'
import { dashboardInvalidator, teachersOfAttempt } from './repositories/invalidation-rules.js'
import { warmDashboards } from './warm.js'

/** Invalidates (and after imports warms) the dashboards a change made stale. */
export const dashboardChangeHandler: ChangeHandler = {
  name: 'dashboards',
  async handle(deps, change) {
    const invalidate = dashboardInvalidator(deps.satchel)
    if (change.kind === 'attempt') {
      const teachers = await teachersOfAttempt(deps.db, change.userId, change.courseId)
      return invalidate.attempt(change, teachers)
    }
    const orgIds = await orgAncestry(deps.db, change.orgIds)
    await invalidate.import(orgIds)
    const warmed = await warmDashboards(deps, { orgIds })
    if (warmed.failed > 0) {
      deps.logger.warn({ failed: warmed.failed, orgIds }, 'dashboards not all warmed after import')
    }
    return warmed
  },
}
