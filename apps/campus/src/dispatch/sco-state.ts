/**
 * Which SCO a dispatch player opens and its run-time state in the registration.
 *
 * @module
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { scormRegistrations, scormScoStates } from '../db/schema.js'
import type { ScoRow, ScoStateRow } from '../scorm/runtime/launch.js'

/**
 * The SCO's run-time state in the registration, created on the first launch; a new launch
 * folds the previous session's time into the total first (as campus's own launches do), so a
 * commit reports only the session in progress.
 */
export async function openScoState(
  db: Database,
  orgId: string,
  registrationId: string,
  scoId: string,
): Promise<ScoStateRow> {
  return db.transaction(async (tx) => {
    await tx
      .update(scormRegistrations)
      .set({ lastScoId: scoId, lastAccessedAt: sql`now()` })
      .where(eq(scormRegistrations.id, registrationId))
    await tx
      .insert(scormScoStates)
      .values({ orgSourcedId: orgId, registrationId, scoId })
      .onConflictDoNothing()
    const [state] = await tx
      .update(scormScoStates)
      .set({
        totalTimeSeconds: sql`${scormScoStates.totalTimeSeconds} + ${scormScoStates.sessionTimeSeconds}`,
        sessionTimeSeconds: 0,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(scormScoStates.registrationId, registrationId), eq(scormScoStates.scoId, scoId)),
      )
      .returning()
    if (!state) throw new Error('SCO state was not created')
    return state
  })
}

/**
 * The SCO to open: the one asked for (`?sco=`, a SCO of this package or 404), else the one
 * the registration used last, else the first.
 */
export async function chosenSco(
  db: Database,
  scos: readonly ScoRow[],
  registrationId: string,
  wanted: string | undefined,
): Promise<ScoRow | undefined> {
  if (wanted) return scos.find((s) => s.id === wanted)
  const [registration] = await db
    .select({ lastScoId: scormRegistrations.lastScoId })
    .from(scormRegistrations)
    .where(eq(scormRegistrations.id, registrationId))
  return scos.find((s) => s.id === registration?.lastScoId) ?? scos[0]
}
