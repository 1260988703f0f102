/**
 * Interactions given back to the run-time on resume. Commits store `cmi.interactions.n.*` as
 * rows of `scorm_interactions` (not in the SCO state's `cmi` JSON); a launch reads them back
 * and flattens them into the SCO's initial CMI, so `cmi.interactions._count` continues where
 * the SCO left it (a SCO that appends at `_count` does not overwrite its earlier answers) and
 * SCORM 2004 content can read its answers again. SCORM 1.2 interactions are write-only for the
 * content, but the run-time still holds them, so its count and next commit stay whole.
 * Objectives are in the `cmi` JSON and come back with it (`initial-state.ts`).
 *
 * @module
 */
import { asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { type ScormVersion, scormInteractions } from '../../db/schema.js'

/** An interaction row as the launch reads it. */
export type SavedInteraction = Pick<
  typeof scormInteractions.$inferSelect,
  | 'index'
  | 'interactionId'
  | 'type'
  | 'timestamp'
  | 'weighting'
  | 'learnerResponse'
  | 'result'
  | 'latency'
  | 'description'
  | 'correctResponses'
  | 'objectiveIds'
>

/** The interactions stored for one SCO state, in index order. */
export function savedInteractions(db: Database, scoStateId: string): Promise<SavedInteraction[]> {
  return db
    .select({
      index: scormInteractions.index,
      interactionId: scormInteractions.interactionId,
      type: scormInteractions.type,
      timestamp: scormInteractions.timestamp,
      weighting: scormInteractions.weighting,
      learnerResponse: scormInteractions.learnerResponse,
      result: scormInteractions.result,
      latency: scormInteractions.latency,
      description: scormInteractions.description,
      correctResponses: scormInteractions.correctResponses,
      objectiveIds: scormInteractions.objectiveIds,
    })
    .from(scormInteractions)
    .where(eq(scormInteractions.scoStateId, scoStateId))
    .orderBy(asc(scormInteractions.index))
}

/**
 * Flattens stored interactions into `cmi.interactions.n.*` of `version`. They are numbered by
 * position: the run-time accepts index `n` only when `n` equals the current count.
 * @example Object.assign(state, interactionsCmi('2004', await savedInteractions(db, stateId)))
 */
export function interactionsCmi(
  version: ScormVersion,
  rows: readonly SavedInteraction[],
): Record<string, string> {
  const out: Record<string, string> = {}
  const is12 = version === '1.2'
  rows.forEach((row, n) => {
    const at = `cmi.interactions.${n}.`
    const put = (field: string, value: string | number | null) => {
      if (value !== null && value !== '') out[at + field] = String(value)
    }
    put('id', row.interactionId)
    put('type', row.type)
    put(is12 ? 'time' : 'timestamp', row.timestamp)
    put('weighting', row.weighting)
    put(is12 ? 'student_response' : 'learner_response', row.learnerResponse)
    put('result', row.result)
    put('latency', row.latency)
    if (!is12) put('description', row.description)
    for (const [m, id] of row.objectiveIds.entries()) put(`objectives.${m}.id`, id)
    for (const [m, pattern] of row.correctResponses.entries()) {
      put(`correct_responses.${m}.pattern`, pattern)
    }
  })
  return out
}
