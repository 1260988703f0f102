/**
 * Errors of graded practice: one error type with a stable `code`, answered as RFC 9457
 * problem+json through the shared {@link CodedProblemError} (web/problem-error.ts).
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, type FieldProblem, zodProblems } from '../web/problem-error.js'

/** Stable codes; branch on these, never on messages. */
export type PracticeErrorCode =
  /** The body is malformed, or names items, answers or a resource that do not fit. */
  | 'E_VALIDATION'
  | 'E_UNAUTHENTICATED'
  /** Signed in, but not as a learner. */
  | 'E_FORBIDDEN'
  | 'E_NOT_FOUND'
  /** The attempt token was used already for a different resource. */
  | 'E_TOKEN_REUSED'
  | 'E_MEDIA_TYPE'

export { type FieldProblem, NO_STORE } from '../web/problem-error.js'

/** A foreseeable failure of a practice request (practice answers are per learner: no-store). */
export class PracticeError extends CodedProblemError<PracticeErrorCode> {
  constructor(
    code: PracticeErrorCode,
    status: number,
    detail: string,
    errors: readonly FieldProblem[] = [],
  ) {
    super(code, status, detail, { errors })
  }
}

/** 400 naming every field in `errors`. */
export function invalidInput(errors: readonly FieldProblem[]): PracticeError {
  const fields = [...new Set(errors.map((e) => e.field))]
  return new PracticeError('E_VALIDATION', 400, `Invalid input: ${fields.join(', ')}`, errors)
}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function fromZod(error: ZodError): PracticeError {
  return invalidInput(zodProblems(error).errors)
}

/** The problem+json response of a {@link PracticeError}. */
export function practiceProblem(error: PracticeError): Response {
  return error.response()
}
