/**
 * Attempts: a learner who finished a package (completed, passed or failed) may start it again.
 * A new attempt is a new `scorm_registrations` row with the next `attempt` number and no SCO
 * state, so every earlier attempt keeps its registration, SCO states and interactions as they
 * were (reports and the attempt history read them). Launches always open the latest attempt.
 *
 * @module
 */
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { scormRegistrations } from '../../db/schema.js'
import { type LearnerStatus, statusOf } from '../course/status.js'
import { ScormError } from '../errors.js'
import { launchablePackageOf, type RegistrationRow } from './launch.js'

/** Whether an attempt is over: completed, or passed or failed. */
export function attemptFinished(
  r: Pick<RegistrationRow, 'completionStatus' | 'successStatus'>,
): boolean {
  return (
    r.completionStatus === 'completed' ||
    r.successStatus === 'passed' ||
    r.successStatus === 'failed'
  )
}

/** One attempt as the history shows it. */
export interface AttemptSummary extends LearnerStatus {
  attempt: number
  registrationId: string
  completedAt: Date | null
  lastAccessedAt: Date | null
}

/** The learner's own campus registrations of a package, latest first. */
function registrationsOf(db: Database, orgId: string, userId: string, packageId: string) {
  return db
    .select()
    .from(scormRegistrations)
    .where(
      and(
        eq(scormRegistrations.orgSourcedId, orgId),
        eq(scormRegistrations.packageId, packageId),
        eq(scormRegistrations.learnerUserSourcedId, userId),
        isNull(scormRegistrations.dispatchId),
      ),
    )
    .orderBy(desc(scormRegistrations.attempt))
}

/** Every attempt of the learner on the package, latest first. */
export async function attemptHistory(
  db: Database,
  orgId: string,
  userId: string,
  packageId: string,
): Promise<AttemptSummary[]> {
  const rows = await registrationsOf(db, orgId, userId, packageId)
  return rows.map((r) => ({
    ...statusOf(r),
    attempt: r.attempt,
    registrationId: r.id,
    completedAt: r.completedAt,
    lastAccessedAt: r.lastAccessedAt,
  }))
}

/**
 * Starts the next attempt of a finished package; refuses (409 `E_SCORM_ATTEMPT_OPEN`) while
 * the latest attempt is still open. Two requests at once create one attempt: the registration's
 * unique (package, learner, attempt) index lets one insert win, and a request that finds a new
 * attempt nobody has committed to yet answers that one.
 * @example const attempt = await startNewAttempt(db, { orgId, userId, userName, packageId })
 */
export async function startNewAttempt(
  db: Database,
  input: { orgId: string; userId: string; userName: string; packageId: string },
): Promise<{ attempt: number; registrationId: string }> {
  const pkg = await launchablePackageOf(db, input.orgId, input.packageId)
  const [latest] = await registrationsOf(db, input.orgId, input.userId, pkg.id).limit(1)
  if (!latest) {
    throw new ScormError(
      'E_SCORM_ATTEMPT_OPEN',
      409,
      'this package has no attempt yet: launch it to start the first one',
    )
  }
  // A new attempt nobody has committed to yet is the answer to a repeated request (a double
  // click, two tabs): give it back rather than refuse it.
  if (latest.attempt > 1 && latest.commitCount === 0) {
    return { attempt: latest.attempt, registrationId: latest.id }
  }
  if (!attemptFinished(latest)) {
    throw new ScormError(
      'E_SCORM_ATTEMPT_OPEN',
      409,
      `attempt ${latest.attempt} is not finished yet: resume it instead`,
    )
  }
  const attempt = latest.attempt + 1
  await db
    .insert(scormRegistrations)
    .values({
      orgSourcedId: input.orgId,
      packageId: pkg.id,
      learnerId: input.userId,
      learnerUserSourcedId: input.userId,
      learnerName: input.userName,
      attempt,
    })
    .onConflictDoNothing()
  const [row] = await registrationsOf(db, input.orgId, input.userId, pkg.id).limit(1)
  if (!row) throw new Error('attempt was not created')
  return { attempt: row.attempt, registrationId: row.id }
}
