/**
 * What a submission carries, validated: the JSON body of `POST /api/practice/attempts` and the
 * form fields of `POST /practice/attempts` become the same {@link SubmissionInput}. Answers are
 * keyed by item id (`answers.<itemId>` in a form, so an error names the same field either way).
 *
 * @module
 */
import { z } from 'zod'
import { isPlausibleId } from '../content/identifiers.js'
import { ATTEMPT_TOKEN } from './token.js'

/** Longest seed kept (the page caps `?attempt=` the same way). */
export const MAX_SEED_LENGTH = 64
/** More answers than any form has: a bound on the work one request can ask for. */
export const MAX_ANSWERS = 500

const id = z.string().refine(isPlausibleId, 'must be an id')

/** The body of a submission. */
export const submissionSchema = z.object({
  courseId: id,
  resourceId: id,
  attemptToken: z.string().regex(ATTEMPT_TOKEN, 'must be the token issued with the form'),
  seed: z.string().min(1).max(MAX_SEED_LENGTH).optional(),
  answers: z
    .record(z.string(), z.number().int('must be a choice number').nonnegative())
    .refine((a) => Object.keys(a).length <= MAX_ANSWERS, `at most ${MAX_ANSWERS} answers`),
})

/** A validated submission. */
export type SubmissionInput = z.infer<typeof submissionSchema>

/** Prefix of answer fields in a form. */
export const ANSWER_FIELD_PREFIX = 'answers.'

/**
 * A form's fields in the JSON body's shape: `answers.<itemId>` fields gather into `answers`,
 * digits become numbers (anything else stays a string, so validation names it).
 */
export function formToSubmission(form: Record<string, string>): Record<string, unknown> {
  const answers: Record<string, unknown> = {}
  const out: Record<string, unknown> = { answers }
  for (const [name, value] of Object.entries(form)) {
    if (name.startsWith(ANSWER_FIELD_PREFIX)) {
      answers[name.slice(ANSWER_FIELD_PREFIX.length)] = /^\d{1,6}$/.test(value)
        ? Number(value)
        : value
    } else if (name === 'courseId' || name === 'resourceId' || name === 'attemptToken') {
      out[name] = value
    } else if (name === 'seed' && value !== '') {
      out.seed = value
    }
  }
  return out
}
