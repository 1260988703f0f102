/**
 * One submission from end to end, shared by the JSON API and the form post: validate, locate
 * the resource and this attempt's questions, grade, store (one transaction), and drop the
 * learner's cached progress. Redis is touched only through the content caches (which fall back
 * to the database) and the progress delete (which never throws): the attempt lands in
 * PostgreSQL with Redis down.
 *
 * @module
 */
import { announceDataChange } from '../analytics/changes.js'
import type { CampusDeps } from '../deps.js'
import { fromZod, PracticeError } from './errors.js'
import { gradeAttempt } from './grade.js'
import { submissionSchema } from './input.js'
import { orgLineage } from './lineage.js'
import { locatePractice, type PracticeTarget } from './locate.js'
import { invalidateLearnerProgress } from './progress.js'
import { type Learner, type RecordResult, recordAttempt } from './record.js'
import { readAttemptToken } from './token.js'

/** What a submission answers. */
export interface SubmissionResult extends RecordResult {
  target: PracticeTarget
}

/**
 * Grades and stores `body` for `learner`.
 *
 * @throws {PracticeError} E_VALIDATION (400, every field named) or E_TOKEN_REUSED (422)
 */
export async function submitPractice(
  deps: CampusDeps,
  learner: Learner,
  body: unknown,
): Promise<SubmissionResult> {
  const parsed = submissionSchema.safeParse(body)
  if (!parsed.success) throw fromZod(parsed.error)
  const input = parsed.data
  const token = readAttemptToken(input.attemptToken)
  if (!token) {
    throw new PracticeError('E_VALIDATION', 400, 'Invalid input: attemptToken', [
      { field: 'attemptToken', message: 'must be the token issued with the form' },
    ])
  }
  const db = deps.database.db
  const target = await locatePractice(deps.source, {
    courseId: input.courseId,
    resourceId: input.resourceId,
    seed: input.seed,
    allowedOrgs: await orgLineage(db, learner.orgId),
  })
  const graded = gradeAttempt(target.questions, input.answers)
  const result = await recordAttempt(db, learner, target, token, graded)
  if (!result.replayed) {
    await invalidateLearnerProgress(
      { ...deps.content, logger: deps.logger },
      learner.orgId,
      learner.userId,
    )
    await announceDataChange(
      { satchel: deps.satchel, db, logger: deps.logger },
      { kind: 'attempt', orgId: learner.orgId, userId: learner.userId, courseId: target.courseId },
    )
  }
  deps.logger.info(
    {
      attemptId: result.attempt.id,
      orgId: learner.orgId,
      userId: learner.userId,
      courseId: target.courseId,
      resourceSourcedId: target.resourceId,
      scorePercent: result.attempt.scorePercent,
      xpAwarded: result.attempt.xpAwarded,
      replayed: result.replayed,
    },
    'practice attempt graded',
  )
  return { ...result, target }
}
