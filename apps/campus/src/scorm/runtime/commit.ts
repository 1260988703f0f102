/**
 * Applying a validated commit to PostgreSQL, in one transaction: the SCO's state (status,
 * score, location, suspend data, session time), its interactions (upserted by index: the
 * run-time re-sends the whole model on every commit), and the registration's roll-up over
 * all the package's SCOs. The run-time batches the SCO's `SetValue` calls in the browser and
 * sends them on `Commit`/`LMSCommit`, on `Terminate`/`LMSFinish` and on page unload, so the
 * database sees one write per commit, never one per value. Redis plays no part: a commit
 * lands whatever state Redis is in.
 *
 * @module
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import {
  type ScormVersion,
  scormInteractions,
  scormRegistrations,
  scormScoStates,
  scormScos,
} from '../../db/schema.js'
import { ScormError, scormNotFound } from '../errors.js'
import { durationSeconds, timespanSeconds } from './cmi-time.js'
import { type CmiValues, validateCmi } from './cmi-validate.js'

/**
 * Who may write the registration: the campus learner it belongs to, or the dispatch it came
 * through (the dispatch launch authorises the learner of the receiving LMS).
 */
export type CommitOwner =
  | { kind: 'user'; userId: string }
  | { kind: 'dispatch'; dispatchId: string }

/** Where a commit goes. */
export interface CommitTarget {
  orgId: string
  owner: CommitOwner
  registrationId: string
  scoId: string
}

/** Status, score and times of one SCO, read from the commit. */
interface ScoFields {
  lessonStatus: string | null
  completionStatus: string
  successStatus: string
  scoreRaw: number | null
  scoreMin: number | null
  scoreMax: number | null
  scoreScaled: number | null
  progressMeasure: number | null
  location: string | null
  suspendData: string | null
  exit: string | null
  sessionTimeSeconds: number
}

const numberOf = (value: string | undefined) =>
  value === undefined || value === '' ? null : Number(value)

/** 1.2 `lesson_status` → 2004 completion and success. */
function fromLessonStatus(status: string | undefined): { completion: string; success: string } {
  switch (status) {
    case 'passed':
      return { completion: 'completed', success: 'passed' }
    case 'failed':
      return { completion: 'completed', success: 'failed' }
    case 'completed':
      return { completion: 'completed', success: 'unknown' }
    case 'incomplete':
    case 'browsed':
      return { completion: 'incomplete', success: 'unknown' }
    default:
      return { completion: 'not attempted', success: 'unknown' }
  }
}

function fieldsOf(version: ScormVersion, v: CmiValues): ScoFields {
  if (version === '1.2') {
    const status = v.get('cmi.core.lesson_status')
    const { completion, success } = fromLessonStatus(status)
    const raw = numberOf(v.get('cmi.core.score.raw'))
    const max = numberOf(v.get('cmi.core.score.max')) ?? 100
    return {
      lessonStatus: status ?? null,
      completionStatus: completion,
      successStatus: success,
      scoreRaw: raw,
      scoreMin: numberOf(v.get('cmi.core.score.min')),
      scoreMax: numberOf(v.get('cmi.core.score.max')),
      scoreScaled: raw !== null && max > 0 ? Math.min(1, Math.max(-1, raw / max)) : null,
      progressMeasure: null,
      location: v.get('cmi.core.lesson_location') ?? null,
      suspendData: v.get('cmi.suspend_data') ?? null,
      exit: v.get('cmi.core.exit') ?? null,
      sessionTimeSeconds: timespanSeconds(v.get('cmi.core.session_time') ?? ''),
    }
  }
  return {
    lessonStatus: null,
    completionStatus: v.get('cmi.completion_status') || 'unknown',
    successStatus: v.get('cmi.success_status') || 'unknown',
    scoreRaw: numberOf(v.get('cmi.score.raw')),
    scoreMin: numberOf(v.get('cmi.score.min')),
    scoreMax: numberOf(v.get('cmi.score.max')),
    scoreScaled: numberOf(v.get('cmi.score.scaled')),
    progressMeasure: numberOf(v.get('cmi.progress_measure')),
    location: v.get('cmi.location') ?? null,
    suspendData: v.get('cmi.suspend_data') ?? null,
    exit: v.get('cmi.exit') ?? null,
    sessionTimeSeconds: durationSeconds(v.get('cmi.session_time') ?? ''),
  }
}

/** Elements stored in columns or in the interactions table, not in the `cmi` JSON. */
const COLUMN_ELEMENTS = new Set([
  'cmi.core.lesson_status',
  'cmi.core.score.raw',
  'cmi.core.score.min',
  'cmi.core.score.max',
  'cmi.core.lesson_location',
  'cmi.core.exit',
  'cmi.core.session_time',
  'cmi.completion_status',
  'cmi.success_status',
  'cmi.score.raw',
  'cmi.score.min',
  'cmi.score.max',
  'cmi.score.scaled',
  'cmi.progress_measure',
  'cmi.location',
  'cmi.exit',
  'cmi.session_time',
  'cmi.suspend_data',
])

interface InteractionRow {
  index: number
  interactionId: string
  type: string | null
  timestamp: string | null
  weighting: number | null
  learnerResponse: string | null
  result: string | null
  latency: string | null
  description: string | null
  correctResponses: string[]
  objectiveIds: string[]
}

/** Groups `cmi.interactions.n.*` values into rows (an interaction without an id is skipped). */
function interactionsOf(v: CmiValues): InteractionRow[] {
  const byIndex = new Map<number, Map<string, string>>()
  for (const [key, value] of v) {
    const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(key)
    if (!m) continue
    const index = Number(m[1])
    const fields = byIndex.get(index) ?? new Map<string, string>()
    byIndex.set(index, fields)
    fields.set(m[2] as string, value)
  }
  const rows: InteractionRow[] = []
  for (const [index, f] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    const interactionId = f.get('id')
    if (!interactionId) continue
    const list = (prefix: string, suffix: string) =>
      [...f]
        .filter(([k]) => k.startsWith(prefix) && k.endsWith(suffix))
        .sort((a, b) => Number(a[0].split('.')[1]) - Number(b[0].split('.')[1]))
        .map(([, value]) => value)
    rows.push({
      index,
      interactionId,
      type: f.get('type') || null,
      timestamp: f.get('timestamp') || f.get('time') || null,
      weighting: numberOf(f.get('weighting')),
      learnerResponse: f.get('learner_response') ?? f.get('student_response') ?? null,
      result: f.get('result') || null,
      latency: f.get('latency') || null,
      description: f.get('description') || null,
      correctResponses: list('correct_responses.', '.pattern'),
      objectiveIds: list('objectives.', '.id'),
    })
  }
  return rows
}

/**
 * Stores a validated commit. The registration must be the owner's (the signed-in learner's, or
 * the dispatch's), in the org.
 * @example await applyCommit(db, '1.2', target, result.values)
 */
export async function applyCommit(
  db: Database,
  version: ScormVersion,
  target: CommitTarget,
  values: CmiValues,
): Promise<void> {
  const fields = fieldsOf(version, values)
  const extra: Record<string, string> = {}
  for (const [key, value] of values) {
    if (!COLUMN_ELEMENTS.has(key) && !key.startsWith('cmi.interactions.')) extra[key] = value
  }
  const interactions = interactionsOf(values)
  await db.transaction(async (tx) => {
    const [registration] = await tx
      .select({
        id: scormRegistrations.id,
        packageId: scormRegistrations.packageId,
        completedAt: scormRegistrations.completedAt,
      })
      .from(scormRegistrations)
      .where(
        and(
          eq(scormRegistrations.id, target.registrationId),
          eq(scormRegistrations.orgSourcedId, target.orgId),
          target.owner.kind === 'user'
            ? eq(scormRegistrations.learnerUserSourcedId, target.owner.userId)
            : eq(scormRegistrations.dispatchId, target.owner.dispatchId),
        ),
      )
      .for('update')
    if (!registration) throw scormNotFound('registration')
    const [state] = await tx
      .update(scormScoStates)
      .set({
        ...fields,
        cmi: extra,
        commitCount: sql`${scormScoStates.commitCount} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(scormScoStates.registrationId, registration.id),
          eq(scormScoStates.scoId, target.scoId),
        ),
      )
      .returning({ id: scormScoStates.id })
    // A state exists only for a SCO this registration launched.
    if (!state) throw scormNotFound('SCO launch')
    for (const row of interactions) {
      const { index, ...rest } = row
      await tx
        .insert(scormInteractions)
        .values({
          orgSourcedId: target.orgId,
          registrationId: registration.id,
          scoStateId: state.id,
          index,
          ...rest,
        })
        .onConflictDoUpdate({
          target: [scormInteractions.scoStateId, scormInteractions.index],
          set: { ...rest, updatedAt: sql`now()` },
        })
    }
    await rollUp(tx, registration, fields)
  })
}

/**
 * The registration's status over every launchable SCO of its package: completed when all are,
 * failed when any failed, passed when all passed; score the mean of the SCOs that have one;
 * time the sum. Suspend data and location are the SCO just committed.
 */
async function rollUp(
  tx: Database,
  registration: { id: string; packageId: string; completedAt: Date | null },
  last: ScoFields,
): Promise<void> {
  const [launchable] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(scormScos)
    .where(and(eq(scormScos.packageId, registration.packageId), isNotNull(scormScos.launchHref)))
  const states = await tx
    .select()
    .from(scormScoStates)
    .where(eq(scormScoStates.registrationId, registration.id))
  const total = Number(launchable?.n ?? 0)
  const completed = states.filter((s) => s.completionStatus === 'completed').length
  const completion =
    total > 0 && completed === total
      ? 'completed'
      : states.some((s) => s.commitCount > 0)
        ? 'incomplete'
        : 'not attempted'
  const success = states.some((s) => s.successStatus === 'failed')
    ? 'failed'
    : total > 0 && states.filter((s) => s.successStatus === 'passed').length === total
      ? 'passed'
      : 'unknown'
  const mean = (pick: (s: (typeof states)[number]) => number | null) => {
    const xs = states.map(pick).filter((x): x is number => x !== null)
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
  }
  await tx
    .update(scormRegistrations)
    .set({
      lessonStatus: total === 1 ? last.lessonStatus : null,
      completionStatus: completion,
      successStatus: success,
      scoreRaw: mean((s) => s.scoreRaw),
      scoreMin: mean((s) => s.scoreMin),
      scoreMax: mean((s) => s.scoreMax),
      scoreScaled: mean((s) => s.scoreScaled),
      totalTimeSeconds: states.reduce(
        (sum, s) => sum + s.totalTimeSeconds + s.sessionTimeSeconds,
        0,
      ),
      suspendData: last.suspendData,
      location: last.location,
      commitCount: sql`${scormRegistrations.commitCount} + 1`,
      lastAccessedAt: sql`now()`,
      completedAt: completion === 'completed' ? (registration.completedAt ?? sql`now()`) : null,
      updatedAt: sql`now()`,
    })
    .where(eq(scormRegistrations.id, registration.id))
}

/**
 * Validates a commit body from the run-time and stores it; one bad value rejects it whole
 * with a 422 {@link ScormError} (`E_CMI_INVALID`, one problem per element) and nothing stored.
 * The entry point for every commit route (campus learners, dispatches).
 * @example await commitCmi(db, '2004', target, await c.req.json())
 */
export async function commitCmi(
  db: Database,
  version: ScormVersion,
  target: CommitTarget,
  body: unknown,
): Promise<void> {
  const result = validateCmi(version, body)
  if (!result.ok) {
    const n = result.problems.length
    throw new ScormError(
      'E_CMI_INVALID',
      422,
      `${n} CMI value${n === 1 ? ' is' : 's are'} invalid; nothing was saved: ${result.problems[0]}`,
      { problems: result.problems },
    )
  }
  await applyCommit(db, version, target, result.values)
}
