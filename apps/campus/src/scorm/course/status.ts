/**
 * A learner's SCORM status on the packages a course page lists: per package the latest
 * attempt's roll-up, per SCO that attempt's state. Read from PostgreSQL on every page view and
 * never cached (registrations and CMI data are not, docs/scorm.md), so nothing of one learner
 * can reach another's page.
 *
 * @module
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { scormRegistrations, scormScoStates } from '../../db/schema.js'

/** The status words a learner sees. */
export type LearnerStatusWord = 'not attempted' | 'incomplete' | 'completed' | 'passed' | 'failed'

/** A status with its score in percent, when known. */
export interface LearnerStatus {
  status: LearnerStatusWord
  scorePercent: number | null
}

/** A learner's status on one package (its latest attempt). */
export interface PackageStatus extends LearnerStatus {
  attempt: number
  /** By SCO id. */
  scos: Record<string, LearnerStatus>
}

/** The fields the status word is derived from (registration or SCO state). */
interface StatusFields {
  completionStatus: string
  successStatus: string
  scoreScaled: number | null
  scoreRaw: number | null
  scoreMax: number | null
  commitCount: number
}

/**
 * The word a learner sees: success decides when known (passed, failed), else completion.
 * A row never committed to is "not attempted" whatever its defaults say.
 */
export function statusOf(row: StatusFields): LearnerStatus {
  const scaled =
    row.scoreScaled ?? (row.scoreRaw !== null && row.scoreMax ? row.scoreRaw / row.scoreMax : null)
  const scorePercent = scaled === null ? null : Math.round(scaled * 100)
  if (row.commitCount === 0) return { status: 'not attempted', scorePercent: null }
  if (row.successStatus === 'passed' || row.successStatus === 'failed') {
    return { status: row.successStatus, scorePercent }
  }
  if (row.completionStatus === 'completed') return { status: 'completed', scorePercent }
  return { status: 'incomplete', scorePercent }
}

/**
 * The learner's status on each of `packageIds` they have a registration for (latest attempt).
 * @example const byPackage = await learnerStatuses(db, orgId, userId, ids)
 */
export async function learnerStatuses(
  db: Database,
  orgId: string,
  userId: string,
  packageIds: readonly string[],
): Promise<Record<string, PackageStatus>> {
  if (packageIds.length === 0) return {}
  const registrations = await db
    .select()
    .from(scormRegistrations)
    .where(
      and(
        eq(scormRegistrations.orgSourcedId, orgId),
        eq(scormRegistrations.learnerUserSourcedId, userId),
        isNull(scormRegistrations.dispatchId),
        inArray(scormRegistrations.packageId, [...packageIds]),
      ),
    )
    .orderBy(desc(scormRegistrations.attempt))
  const latest = new Map<string, (typeof registrations)[number]>()
  for (const r of registrations) if (!latest.has(r.packageId)) latest.set(r.packageId, r)
  if (latest.size === 0) return {}
  const states = await db
    .select()
    .from(scormScoStates)
    .where(
      and(
        eq(scormScoStates.orgSourcedId, orgId),
        inArray(
          scormScoStates.registrationId,
          [...latest.values()].map((r) => r.id),
        ),
      ),
    )
  const out: Record<string, PackageStatus> = {}
  for (const [packageId, r] of latest) {
    const scos: Record<string, LearnerStatus> = {}
    for (const s of states) if (s.registrationId === r.id) scos[s.scoId] = statusOf(s)
    out[packageId] = { ...statusOf(r), attempt: r.attempt, scos }
  }
  return out
}
