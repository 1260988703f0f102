/**
 * Reading a learner's attempts back: the list on "My progress" and one attempt with its item
 * responses on the result page. Every read is filtered by the learner and their organisation,
 * so an id from someone else's result page finds nothing.
 *
 * @module
 */
import { and, asc, desc, eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import {
  assessmentItems,
  practiceAttempts,
  practiceItemResponses,
  resources,
} from '../db/schema.js'
import { ATTEMPT_COLUMNS, type Learner, type StoredAttempt } from './record.js'

/** An attempt with the resource's title, for lists. */
export interface AttemptSummary extends StoredAttempt {
  title: string
}

/** One answered question, as the learner may see it after submitting. */
export interface AnsweredItem {
  itemId: string
  position: number
  prompt: string
  /** The text of the chosen choice. */
  chosen: string
  correct: boolean
  points: number
  maxPoints: number
}

/** An attempt with its answered questions. */
export interface AttemptDetail extends AttemptSummary {
  items: AnsweredItem[]
}

/** Most attempts a list shows. */
export const MAX_LISTED_ATTEMPTS = 200

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The learner's attempts, newest first (at most `limit`). */
export async function listAttempts(
  db: Database,
  learner: Learner,
  limit = 50,
): Promise<AttemptSummary[]> {
  return db
    .select({ ...ATTEMPT_COLUMNS, title: resources.title })
    .from(practiceAttempts)
    .innerJoin(resources, eq(resources.sourcedId, practiceAttempts.resourceSourcedId))
    .where(
      and(
        eq(practiceAttempts.userSourcedId, learner.userId),
        eq(practiceAttempts.orgSourcedId, learner.orgId),
      ),
    )
    .orderBy(desc(practiceAttempts.submittedAt), desc(practiceAttempts.id))
    .limit(Math.min(Math.max(1, limit), MAX_LISTED_ATTEMPTS))
}

/** One of the learner's attempts with its answers; null when it is not theirs (or no such id). */
export async function getAttempt(
  db: Database,
  learner: Learner,
  attemptId: string,
): Promise<AttemptDetail | null> {
  if (!UUID.test(attemptId)) return null
  const [attempt] = await db
    .select({ ...ATTEMPT_COLUMNS, title: resources.title })
    .from(practiceAttempts)
    .innerJoin(resources, eq(resources.sourcedId, practiceAttempts.resourceSourcedId))
    .where(
      and(
        eq(practiceAttempts.id, attemptId),
        eq(practiceAttempts.userSourcedId, learner.userId),
        eq(practiceAttempts.orgSourcedId, learner.orgId),
      ),
    )
  if (!attempt) return null
  const rows = await db
    .select({
      itemId: practiceItemResponses.itemSourcedId,
      position: practiceItemResponses.position,
      response: practiceItemResponses.response,
      correct: practiceItemResponses.correct,
      points: practiceItemResponses.points,
      maxPoints: practiceItemResponses.maxPoints,
      body: assessmentItems.body,
    })
    .from(practiceItemResponses)
    .innerJoin(assessmentItems, eq(assessmentItems.sourcedId, practiceItemResponses.itemSourcedId))
    .where(eq(practiceItemResponses.attemptId, attemptId))
    .orderBy(asc(practiceItemResponses.position))
  return {
    ...attempt,
    items: rows.map((r) => ({
      itemId: r.itemId,
      position: r.position,
      prompt: r.body.prompt,
      // Only the learner's own choice is shown, never the key: the pool is reused by the
      // next attempt.
      chosen: r.body.choices[r.response.choice] ?? '',
      correct: r.correct,
      points: r.points,
      maxPoints: r.maxPoints,
    })),
  }
}
