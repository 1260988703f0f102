/**
 * Launching a SCO: the learner's registration for the package (created on first launch,
 * attempt 1) and the SCO's run-time state within it. Each launch opens a new session: the
 * previous session's time is folded into the SCO's total first, so a commit only ever reports
 * the session in progress and a reload never counts a session twice.
 *
 * @module
 */
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { scormPackages, scormRegistrations, scormScoStates, scormScos } from '../../db/schema.js'
import { ScormError, scormNotFound } from '../errors.js'

/** The package row as the run-time reads it. */
export type PackageRow = typeof scormPackages.$inferSelect
/** A SCO row. */
export type ScoRow = typeof scormScos.$inferSelect
/** A registration row. */
export type RegistrationRow = typeof scormRegistrations.$inferSelect
/** A SCO state row. */
export type ScoStateRow = typeof scormScoStates.$inferSelect

/** Who launches what. */
export interface LaunchInput {
  orgId: string
  userId: string
  userName: string
  packageId: string
  /** The SCO to open; default: the last one opened, else the first launchable. */
  scoId?: string | undefined
}

/** What a launch opens. */
export interface Launch {
  pkg: PackageRow
  scos: ScoRow[]
  sco: ScoRow
  registration: RegistrationRow
  state: ScoStateRow
}

/**
 * A package of `orgId`, archived or not, or a 404 (another org's package is indistinguishable
 * from none). Launches use {@link launchablePackageOf}.
 */
export async function packageOf(
  db: Database,
  orgId: string,
  packageId: string,
): Promise<PackageRow> {
  if (!/^[0-9a-f-]{36}$/.test(packageId)) throw scormNotFound('package')
  const [pkg] = await db
    .select()
    .from(scormPackages)
    .where(
      and(
        eq(scormPackages.id, packageId),
        eq(scormPackages.orgSourcedId, orgId),
        eq(scormPackages.status, 'active'),
      ),
    )
  if (!pkg) throw scormNotFound('package')
  return pkg
}

/**
 * A package of `orgId` that may be launched: 404 as {@link packageOf}, and 410
 * `E_SCORM_PACKAGE_ARCHIVED` once an administrator archived it (its data stays for reports).
 */
export async function launchablePackageOf(
  db: Database,
  orgId: string,
  packageId: string,
): Promise<PackageRow> {
  const pkg = await packageOf(db, orgId, packageId)
  if (pkg.archivedAt) throw packageArchived(pkg.title, pkg.archivedAt)
  return pkg
}

/** The 410 of an archived package. */
export function packageArchived(title: string, archivedAt: Date): ScormError {
  return new ScormError(
    'E_SCORM_PACKAGE_ARCHIVED',
    410,
    `the package ${JSON.stringify(title)} was archived on ${archivedAt.toISOString().slice(0, 10)} and can no longer be launched`,
  )
}

/** The launchable SCOs and assets of a package, in manifest order. */
export function launchableScos(db: Database, packageId: string): Promise<ScoRow[]> {
  return db
    .select()
    .from(scormScos)
    .where(and(eq(scormScos.packageId, packageId), isNotNull(scormScos.launchHref)))
    .orderBy(asc(scormScos.sortOrder))
}

/**
 * Opens (or resumes) the learner's registration and the SCO's state, in one transaction.
 * @example const launch = await launchSco(db, { orgId, userId, userName, packageId })
 */
export async function launchSco(db: Database, input: LaunchInput): Promise<Launch> {
  const pkg = await launchablePackageOf(db, input.orgId, input.packageId)
  const scos = await launchableScos(db, pkg.id)
  return db.transaction(async (tx) => {
    await tx
      .insert(scormRegistrations)
      .values({
        orgSourcedId: input.orgId,
        packageId: pkg.id,
        learnerId: input.userId,
        learnerUserSourcedId: input.userId,
        learnerName: input.userName,
        attempt: 1,
      })
      .onConflictDoNothing()
    const [registration] = await tx
      .select()
      .from(scormRegistrations)
      .where(
        and(
          eq(scormRegistrations.packageId, pkg.id),
          eq(scormRegistrations.learnerId, input.userId),
          isNull(scormRegistrations.dispatchId),
        ),
      )
      .orderBy(desc(scormRegistrations.attempt))
      .limit(1)
    if (!registration) throw new Error('registration was not created')
    const wanted = input.scoId ?? registration.lastScoId ?? undefined
    const sco = scos.find((s) => s.id === wanted) ?? (input.scoId ? undefined : scos[0])
    if (!sco) throw scormNotFound('SCO')
    await tx
      .insert(scormScoStates)
      .values({ orgSourcedId: input.orgId, registrationId: registration.id, scoId: sco.id })
      .onConflictDoNothing()
    const [state] = await tx
      .update(scormScoStates)
      .set({
        totalTimeSeconds: sql`${scormScoStates.totalTimeSeconds} + ${scormScoStates.sessionTimeSeconds}`,
        sessionTimeSeconds: 0,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(scormScoStates.registrationId, registration.id), eq(scormScoStates.scoId, sco.id)),
      )
      .returning()
    if (!state) throw new Error('SCO state was not created')
    const [updated] = await tx
      .update(scormRegistrations)
      .set({
        lastScoId: sco.id,
        firstLaunchedAt: sql`coalesce(${scormRegistrations.firstLaunchedAt}, now())`,
        lastAccessedAt: sql`now()`,
      })
      .where(eq(scormRegistrations.id, registration.id))
      .returning()
    return { pkg, scos, sco, registration: updated ?? registration, state }
  })
}
