/**
 * Grading, on the server only: the answer keys (`body.correct`) are read here and nowhere
 * else on the way to a page. Pure: the same questions and answers always give the same result,
 * which is what lets a test check every case without a database.
 *
 * Items are single-choice (QTI `choiceInteraction` with one correct choice), worth one point
 * each. An attempt passes at {@link PASS_PERCENT}.
 *
 * @module
 */
import type { AssessmentItemRecord } from '../content/types.js'
import { type FieldProblem, invalidInput } from './errors.js'
import { ANSWER_FIELD_PREFIX } from './input.js'

/** The score (percent) at which an attempt passes. */
export const PASS_PERCENT = 70

/** One graded item. */
export interface GradedItem {
  itemId: string
  /** 0-based position in the form. */
  position: number
  choice: number
  correct: boolean
  points: number
  maxPoints: number
}

/** A graded attempt. */
export interface GradedAttempt {
  items: GradedItem[]
  scoreRaw: number
  scoreMax: number
  /** Two decimals. */
  scorePercent: number
  passed: boolean
}

/**
 * Grades `answers` (item id → choice index) against the attempt's `questions`. Every problem is
 * reported at once, each naming its field (`answers.<itemId>`): a question left unanswered, an
 * item that is not one of this attempt's questions, a choice the question does not have.
 *
 * @throws {PracticeError} E_VALIDATION (400) listing every problem
 */
export function gradeAttempt(
  questions: readonly AssessmentItemRecord[],
  answers: Readonly<Record<string, number>>,
): GradedAttempt {
  const problems: FieldProblem[] = []
  const byId = new Map(questions.map((q) => [q.sourcedId, q]))
  for (const itemId of Object.keys(answers)) {
    if (!byId.has(itemId)) {
      problems.push({
        field: `${ANSWER_FIELD_PREFIX}${itemId}`,
        message: 'is not a question of this attempt',
      })
    }
  }
  const items: GradedItem[] = []
  questions.forEach((question, position) => {
    const field = `${ANSWER_FIELD_PREFIX}${question.sourcedId}`
    const choice = Object.hasOwn(answers, question.sourcedId)
      ? answers[question.sourcedId]
      : undefined
    if (choice === undefined) {
      problems.push({ field, message: 'is required' })
      return
    }
    const choices = question.body.choices.length
    if (choice >= choices) {
      problems.push({ field, message: `must be a choice from 0 to ${choices - 1}` })
      return
    }
    const correct = choice === question.body.correct
    items.push({
      itemId: question.sourcedId,
      position,
      choice,
      correct,
      points: correct ? 1 : 0,
      maxPoints: 1,
    })
  })
  if (problems.length > 0) throw invalidInput(problems)
  const scoreRaw = items.reduce((sum, i) => sum + i.points, 0)
  const scoreMax = items.reduce((sum, i) => sum + i.maxPoints, 0)
  const scorePercent = scoreMax === 0 ? 0 : Math.round((scoreRaw / scoreMax) * 10_000) / 100
  return { items, scoreRaw, scoreMax, scorePercent, passed: scorePercent >= PASS_PERCENT }
}

/**
 * XP an attempt earns on its own: the resource's XP in proportion to the score, rounded down.
 * What it is awarded is the improvement over the learner's best so far (`record.ts`), so a
 * resource never yields more than its XP however often it is retaken.
 */
export function xpEarned(resourceXp: number, graded: Pick<GradedAttempt, 'scoreRaw' | 'scoreMax'>) {
  if (graded.scoreMax === 0) return 0
  return Math.floor((resourceXp * graded.scoreRaw) / graded.scoreMax)
}
