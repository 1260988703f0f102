/**
 * Stores a graded attempt: the attempt row and its item responses in one transaction, with the
 * XP it awards and the class, term and grade-level snapshots reports group by.
 *
 * Concurrency: the transaction first locks the learner's `users` row, so one learner's
 * submissions are written one at a time. Under that lock the attempt token is looked up (a
 * double submit finds the first attempt and returns it: `replayed`) and the XP already awarded
 * for the resource is summed (two different attempts submitted at once cannot both award the
 * same improvement). The unique key on (learner, token) stays the final guard.
 *
 * @module
 */
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import {
  academicSessions,
  classes,
  enrollments,
  practiceAttempts,
  practiceItemResponses,
  users,
} from '../db/schema.js'
import { PracticeError } from './errors.js'
import { type GradedAttempt, xpEarned } from './grade.js'
import type { PracticeTarget } from './locate.js'
import { type AttemptToken, startedAt } from './token.js'

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0]

/** A stored attempt as the result page and the API show it. */
export interface StoredAttempt {
  id: string
  orgId: string
  userId: string
  resourceId: string
  courseId: string
  type: PracticeTarget['type']
  seed: string
  startedAt: Date
  submittedAt: Date
  scoreRaw: number
  scoreMax: number
  scorePercent: number
  passed: boolean
  xpAwarded: number
}

/** Who submitted. */
export interface Learner {
  orgId: string
  userId: string
}

/** What {@link recordAttempt} answers: the attempt, and whether it existed already. */
export interface RecordResult {
  attempt: StoredAttempt
  /** True when the token had been used: nothing was written, the first attempt is returned. */
  replayed: boolean
}

const attemptColumns = {
  id: practiceAttempts.id,
  orgId: practiceAttempts.orgSourcedId,
  userId: practiceAttempts.userSourcedId,
  resourceId: practiceAttempts.resourceSourcedId,
  courseId: practiceAttempts.courseSourcedId,
  type: practiceAttempts.resourceType,
  seed: practiceAttempts.seed,
  startedAt: practiceAttempts.startedAt,
  submittedAt: practiceAttempts.submittedAt,
  scoreRaw: practiceAttempts.scoreRaw,
  scoreMax: practiceAttempts.scoreMax,
  scorePercent: practiceAttempts.scorePercent,
  passed: practiceAttempts.passed,
  xpAwarded: practiceAttempts.xpAwarded,
}

/** The columns of a {@link StoredAttempt}, for other readers of the table. */
export const ATTEMPT_COLUMNS = attemptColumns

async function existingAttempt(
  tx: Tx,
  learner: Learner,
  token: string,
): Promise<StoredAttempt | undefined> {
  const [row] = await tx
    .select(attemptColumns)
    .from(practiceAttempts)
    .where(
      and(
        eq(practiceAttempts.userSourcedId, learner.userId),
        eq(practiceAttempts.attemptToken, token),
      ),
    )
  return row
}

/** The learner's class of this course (first by id when several) and its current term. */
async function classSnapshot(
  tx: Tx,
  learner: Learner,
  courseId: string,
  day: string,
): Promise<{ classId: string | null; termId: string | null }> {
  const [row] = await tx
    .select({ classId: classes.sourcedId, terms: classes.termSourcedIds })
    .from(enrollments)
    .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
    .where(
      and(
        eq(enrollments.userSourcedId, learner.userId),
        eq(enrollments.status, 'active'),
        eq(enrollments.role, 'student'),
        eq(classes.courseSourcedId, courseId),
      ),
    )
    .orderBy(asc(classes.sourcedId))
    .limit(1)
  if (!row) return { classId: null, termId: null }
  if (row.terms.length === 0) return { classId: row.classId, termId: null }
  const [term] = await tx
    .select({ id: academicSessions.sourcedId })
    .from(academicSessions)
    .where(
      and(
        inArray(academicSessions.sourcedId, row.terms),
        lte(academicSessions.startDate, day),
        gte(academicSessions.endDate, day),
      ),
    )
    .orderBy(asc(academicSessions.startDate))
    .limit(1)
  return { classId: row.classId, termId: term?.id ?? null }
}

/**
 * Writes the attempt (see the module comment). A token already used for another resource is
 * refused (422): it would otherwise answer one quiz with another's result.
 *
 * @throws {PracticeError} E_TOKEN_REUSED
 */
export function recordAttempt(
  db: Database,
  learner: Learner,
  target: PracticeTarget,
  token: AttemptToken,
  graded: GradedAttempt,
): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ grades: users.grades })
      .from(users)
      .where(eq(users.sourcedId, learner.userId))
      .for('update')
    if (!user) throw new PracticeError('E_UNAUTHENTICATED', 401, 'The account no longer exists.')
    const previous = await existingAttempt(tx, learner, token.value)
    if (previous) return replay(previous, target)

    const submittedAt = new Date()
    const day = submittedAt.toISOString().slice(0, 10)
    const { classId, termId } = await classSnapshot(tx, learner, target.courseId, day)
    const [awarded] = await tx
      .select({ xp: sql<number>`coalesce(sum(${practiceAttempts.xpAwarded}), 0)::int` })
      .from(practiceAttempts)
      .where(
        and(
          eq(practiceAttempts.userSourcedId, learner.userId),
          eq(practiceAttempts.resourceSourcedId, target.resourceId),
        ),
      )
    const xpAwarded = Math.max(0, xpEarned(target.xp, graded) - Number(awarded?.xp ?? 0))

    const [row] = await tx
      .insert(practiceAttempts)
      .values({
        orgSourcedId: learner.orgId,
        userSourcedId: learner.userId,
        attemptToken: token.value,
        resourceSourcedId: target.resourceId,
        resourceType: target.type,
        courseSourcedId: target.courseId,
        unitSourcedId: target.unitId,
        lessonSourcedId: target.lessonId,
        classSourcedId: classId,
        termSourcedId: termId,
        gradeLevel: user.grades[0] ?? null,
        seed: target.seed,
        startedAt: startedAt(token, submittedAt),
        submittedAt,
        scoreRaw: graded.scoreRaw,
        scoreMax: graded.scoreMax,
        scorePercent: graded.scorePercent,
        passed: graded.passed,
        xpAwarded,
      })
      .onConflictDoNothing()
      .returning(attemptColumns)
    if (!row) {
      // Unreachable while the row lock holds; the unique key is the guard if it ever does not.
      const raced = await existingAttempt(tx, learner, token.value)
      if (raced) return replay(raced, target)
      throw new Error('practice attempt neither inserted nor found')
    }
    await tx.insert(practiceItemResponses).values(
      graded.items.map((item) => ({
        attemptId: row.id,
        orgSourcedId: learner.orgId,
        userSourcedId: learner.userId,
        resourceSourcedId: target.resourceId,
        itemSourcedId: item.itemId,
        position: item.position,
        response: { choice: item.choice },
        correct: item.correct,
        points: item.points,
        maxPoints: item.maxPoints,
      })),
    )
    return { attempt: row, replayed: false }
  })
}

function replay(previous: StoredAttempt, target: PracticeTarget): RecordResult {
  if (previous.resourceId !== target.resourceId) {
    throw new PracticeError(
      'E_TOKEN_REUSED',
      422,
      'This attempt token was used for another resource; reload the form for a new one.',
      [{ field: 'attemptToken', message: 'was used for another resource' }],
    )
  }
  return { attempt: previous, replayed: true }
}
