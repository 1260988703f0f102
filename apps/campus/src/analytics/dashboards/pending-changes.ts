/**
 * Called by the login-link request code after a request is created, approved or rejected: drops
 * the pending count of the request's organisation and of every administrator above it. Never
 * throws: the request is committed either way, and a count Redis could not drop lives at most
 * the dashboards' one-minute TTL.
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../../db/client.js'
import { orgAncestry } from '../scope.js'
import { dashboardInvalidator } from './repositories/invalidation-rules.js'

/**
 * Invalidates the dashboards' pending login-link count of `orgId` and its ancestors.
 *
 * @example await pendingLoginLinksChanged(deps, 'org-school-01')
 */
export async function pendingLoginLinksChanged(
  deps: {
    satchel: Satchel
    database: { db: Database }
    logger: { warn(fields: object, message: string): void }
  },
  orgId: string,
): Promise<void> {
  try {
    const orgIds = await orgAncestry(deps.database.db, [orgId])
    await dashboardInvalidator(deps.satchel).pending(orgIds)
  } catch (error) {
    deps.logger.warn({ err: error, orgId }, 'dashboard pending count not invalidated')
  }
}
