/**
 * The launch token of a dispatch registration: what the launcher's frame presents to open the
 * course on campus (the player page and the package files it loads). A token is valid for its
 * own registration until it expires; only its hash is stored (`scorm_dispatch_launches`).
 *
 * @module
 */
import { and, eq, gt } from 'drizzle-orm'
import { scormDispatchLaunches, scormRegistrations } from '../db/schema.js'
import { DispatchError } from './errors.js'
import type { DispatchRuntime } from './runtime.js'
import { hashSecret } from './tokens.js'

/** A valid launch: who plays what, and the page that launched it. */
export interface ValidLaunch {
  orgId: string
  dispatchId: string
  registrationId: string
  packageId: string
  learnerId: string
  learnerName: string
  origin: string
}

/** The launch `token` opens, or E_LAUNCH_TOKEN_INVALID. */
export async function checkLaunchToken(
  rt: DispatchRuntime,
  token: string | undefined,
  registrationId?: string,
  now: Date = new Date(),
): Promise<ValidLaunch> {
  const invalid = new DispatchError(
    'E_LAUNCH_TOKEN_INVALID',
    401,
    'the launch token is missing, unknown or expired; launch the course again from the LMS',
  )
  if (!token || token.length > 200) throw invalid
  const [row] = await rt.db
    .select({
      orgId: scormDispatchLaunches.orgSourcedId,
      dispatchId: scormDispatchLaunches.dispatchId,
      registrationId: scormDispatchLaunches.registrationId,
      origin: scormDispatchLaunches.origin,
      packageId: scormRegistrations.packageId,
      learnerId: scormRegistrations.learnerId,
      learnerName: scormRegistrations.learnerName,
    })
    .from(scormDispatchLaunches)
    .innerJoin(scormRegistrations, eq(scormRegistrations.id, scormDispatchLaunches.registrationId))
    .where(
      and(
        eq(scormDispatchLaunches.tokenHash, hashSecret(token)),
        gt(scormDispatchLaunches.expiresAt, now),
      ),
    )
  if (!row || (registrationId !== undefined && row.registrationId !== registrationId)) throw invalid
  return { ...row, learnerName: row.learnerName ?? '' }
}
