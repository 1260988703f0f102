/**
 * The grader and the attempt token on their own (pure functions): scores, pass mark, XP, every
 * problem reported at once, and the bounds on a token's claimed start time.
 */
import { describe, expect, it } from 'vitest'
import type { AssessmentItemRecord } from '../../src/content/types.js'
import type { PracticeError } from '../../src/practice/errors.js'
import { gradeAttempt, PASS_PERCENT, xpEarned } from '../../src/practice/grade.js'
import { formToSubmission } from '../../src/practice/input.js'
import {
  issueAttemptToken,
  MAX_ATTEMPT_MS,
  readAttemptToken,
  startedAt,
} from '../../src/practice/token.js'

function item(id: string, correct: number, choices = 4): AssessmentItemRecord {
  return {
    sourcedId: id,
    resourceSourcedId: 'res-1',
    identifier: id,
    title: id,
    sortOrder: 0,
    required: false,
    fixed: false,
    body: {
      prompt: `${id}?`,
      choices: Array.from({ length: choices }, (_, i) => `c${i}`),
      correct,
    },
  }
}

const QUESTIONS = [item('a', 0), item('b', 1), item('c', 2), item('d', 3)]

function problems(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn()
  } catch (error) {
    return [...(error as PracticeError).errors]
  }
  throw new Error('expected a PracticeError')
}

describe('gradeAttempt', () => {
  it('scores one point per right answer, in form order', () => {
    const graded = gradeAttempt(QUESTIONS, { a: 0, b: 1, c: 0, d: 3 })
    expect(graded).toMatchObject({ scoreRaw: 3, scoreMax: 4, scorePercent: 75, passed: true })
    expect(graded.items.map((i) => [i.itemId, i.position, i.correct])).toEqual([
      ['a', 0, true],
      ['b', 1, true],
      ['c', 2, false],
      ['d', 3, true],
    ])
  })

  it(`passes at ${PASS_PERCENT}% and rounds the percent to two decimals`, () => {
    const three = [item('x', 0), item('y', 0), item('z', 0)]
    const two = gradeAttempt(three, { x: 0, y: 0, z: 1 })
    expect(two.scorePercent).toBe(66.67)
    expect(two.passed).toBe(false)
    const ten = Array.from({ length: 10 }, (_, i) => item(`q${i}`, 1))
    const seven = Object.fromEntries(ten.map((q, i) => [q.sourcedId, i < 7 ? 1 : 0]))
    expect(gradeAttempt(ten, seven)).toMatchObject({ scorePercent: 70, passed: true })
  })

  it('reports every missing answer, unknown item and impossible choice at once', () => {
    const found = problems(() => gradeAttempt(QUESTIONS, { a: 0, b: 9, zz: 1 }))
    expect(found).toEqual([
      { field: 'answers.zz', message: 'is not a question of this attempt' },
      { field: 'answers.b', message: 'must be a choice from 0 to 3' },
      { field: 'answers.c', message: 'is required' },
      { field: 'answers.d', message: 'is required' },
    ])
  })

  it('does not take an inherited property for an answer', () => {
    const found = problems(() => gradeAttempt([item('toString', 0)], {}))
    expect(found).toEqual([{ field: 'answers.toString', message: 'is required' }])
  })
})

describe('xpEarned', () => {
  it('is the resource XP in proportion to the score, rounded down', () => {
    expect(xpEarned(10, { scoreRaw: 5, scoreMax: 5 })).toBe(10)
    expect(xpEarned(10, { scoreRaw: 4, scoreMax: 5 })).toBe(8)
    expect(xpEarned(10, { scoreRaw: 2, scoreMax: 3 })).toBe(6)
    expect(xpEarned(10, { scoreRaw: 0, scoreMax: 0 })).toBe(0)
  })
})

describe('attempt tokens', () => {
  it('round-trips the issue time and refuses anything else', () => {
    const now = Date.UTC(2026, 11, 6, 1, 0, 0)
    const token = issueAttemptToken(now)
    expect(readAttemptToken(token)?.issuedAt.getTime()).toBe(now)
    expect(issueAttemptToken(now)).not.toBe(token)
    for (const bad of ['', 'guess', `${token}!`, `${token.slice(1)}`, `${token.split('.')[0]}.`]) {
      expect(readAttemptToken(bad)).toBeNull()
    }
  })

  it('bounds the claimed start into the day before submission', () => {
    const submitted = new Date(Date.UTC(2026, 11, 6, 12))
    const at = (ms: number) => startedAt({ value: 'x', issuedAt: new Date(ms) }, submitted)
    expect(at(submitted.getTime() - 60_000).getTime()).toBe(submitted.getTime() - 60_000)
    expect(at(submitted.getTime() + 60_000).getTime()).toBe(submitted.getTime())
    expect(at(0).getTime()).toBe(submitted.getTime() - MAX_ATTEMPT_MS)
  })
})

describe('formToSubmission', () => {
  it('gathers answers.<id> fields and keeps non-numbers for validation to name', () => {
    expect(
      formToSubmission({
        courseId: 'c',
        resourceId: 'r',
        attemptToken: 't',
        seed: '',
        returnTo: '/x',
        'answers.i1': '2',
        'answers.i2': 'two',
      }),
    ).toEqual({
      courseId: 'c',
      resourceId: 'r',
      attemptToken: 't',
      answers: { i1: 2, i2: 'two' },
    })
  })
})
