/**
 * Errors of graded practice: one error type with a stable `code`, answered as RFC 9457
 * problem+json. Validation failures list every offending field (`errors: [{ field, message }]`),
 * the shape the sign-in and admin APIs use too.
 *
 * @module
 */
import { problemResponse } from 'satchel/http'
import type { ZodError } from 'zod'

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

/** One field-level problem. */
export interface FieldProblem {
  readonly field: string
  readonly message: string
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
}

/** Practice answers are per learner: never stored by a shared cache. */
export const NO_STORE = { 'cache-control': 'no-store' } as const

/** A foreseeable failure of a practice request. */
export class PracticeError extends Error {
  readonly code: PracticeErrorCode
  readonly status: number
  readonly errors: readonly FieldProblem[]
  constructor(
    code: PracticeErrorCode,
    status: number,
    detail: string,
    errors: readonly FieldProblem[] = [],
  ) {
    super(detail)
    this.name = 'PracticeError'
    this.code = code
    this.status = status
    this.errors = errors
  }
}

/** 400 naming every field in `errors`. */
export function invalidInput(errors: readonly FieldProblem[]): PracticeError {
  const fields = [...new Set(errors.map((e) => e.field))]
  return new PracticeError('E_VALIDATION', 400, `Invalid input: ${fields.join(', ')}`, errors)
}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function fromZod(error: ZodError): PracticeError {
  return invalidInput(
    error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    })),
  )
}

/** The problem+json response of a {@link PracticeError}. */
export function practiceProblem(error: PracticeError): Response {
  return problemResponse(
    {
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    },
    NO_STORE,
  )
}
