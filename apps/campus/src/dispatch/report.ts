/**
 * Reports of a dispatch registration's progress: the launcher relays the CMI summary of the
 * learner's session (completion, success, scaled score, session time) with its launch's bearer
 * token, from the tenant's page. Campus stores it on the registration (`scorm_registrations`,
 * where the tenant dashboard reads it) and drops the tenant's cached dashboard.
 *
 * @module
 */
import { and, eq, gt, sql } from 'drizzle-orm'
import { scormDispatches, scormDispatchLaunches, scormRegistrations } from '../db/schema.js'
import { domainAllowed, launchingPage } from './domains.js'
import { DispatchError } from './errors.js'
import type { DispatchRuntime } from './runtime.js'
import type { ReportInput } from './schemas.js'
import { hashSecret } from './tokens.js'

/** What a report needs from the request. */
export interface ReportRequest {
  registrationId: string
  token: string | undefined
  origin: string | undefined
  referer: string | undefined
  input: ReportInput
  now?: Date
}

function invalidToken(): DispatchError {
  return new DispatchError(
    'E_LAUNCH_TOKEN_INVALID',
    401,
    'the launch token is missing, unknown or expired; launch the course again',
  )
}

/** Records a report (see the module comment); answers the registration's new status. */
export async function recordReport(
  rt: DispatchRuntime,
  req: ReportRequest,
): Promise<{ registrationId: string; completionStatus: string; successStatus: string }> {
  const now = req.now ?? new Date()
  if (!req.token) throw invalidToken()
  const [launch] = await rt.db
    .select({
      orgId: scormDispatchLaunches.orgSourcedId,
      dispatchId: scormDispatchLaunches.dispatchId,
      tenantId: scormDispatches.tenantId,
    })
    .from(scormDispatchLaunches)
    .innerJoin(scormDispatches, eq(scormDispatches.id, scormDispatchLaunches.dispatchId))
    .where(
      and(
        eq(scormDispatchLaunches.tokenHash, hashSecret(req.token)),
        eq(scormDispatchLaunches.registrationId, req.registrationId),
        gt(scormDispatchLaunches.expiresAt, now),
      ),
    )
  if (!launch) throw invalidToken()
  const tenant = await rt.cache.tenant(launch.orgId, launch.tenantId)
  const page = launchingPage(req)
  if (!tenant || !page || !domainAllowed(page.host, tenant.allowedDomains)) {
    throw new DispatchError(
      'E_DOMAIN_NOT_ALLOWED',
      403,
      page ? `reports from ${page.host} are not allowed` : 'the report names no page (no Origin)',
      { extra: { origin: page?.origin ?? null } },
    )
  }
  const { input } = req
  const completed = input.completionStatus === 'completed'
  const [row] = await rt.db
    .update(scormRegistrations)
    .set({
      completionStatus: input.completionStatus,
      // A session that says nothing about success keeps the status an earlier one reported.
      ...(input.successStatus === 'unknown' ? {} : { successStatus: input.successStatus }),
      ...(input.scoreScaled === null ? {} : { scoreScaled: input.scoreScaled }),
      totalTimeSeconds: sql`${scormRegistrations.totalTimeSeconds} + ${input.sessionSeconds}`,
      ...(completed
        ? {
            completedAt: sql`coalesce(${scormRegistrations.completedAt}, ${now.toISOString()}::timestamptz)`,
          }
        : {}),
      lastAccessedAt: now,
      updatedAt: now,
    })
    .where(
      and(
        eq(scormRegistrations.id, req.registrationId),
        eq(scormRegistrations.orgSourcedId, launch.orgId),
      ),
    )
    .returning({
      completionStatus: scormRegistrations.completionStatus,
      successStatus: scormRegistrations.successStatus,
    })
  if (!row) throw invalidToken()
  await rt.cache.registrationsChanged(launch.orgId, launch.tenantId)
  return { registrationId: req.registrationId, ...row }
}
