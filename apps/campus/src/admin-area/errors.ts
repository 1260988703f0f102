/**
 * Errors of the admin area and the login-link requests: one error type with a stable `code`,
 * answered as RFC 9457 problem+json; validation failures list every offending field
 * (`errors: [{ field, message }]`), the shape the sign-in APIs use too.
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, zodProblems } from '../web/problem-error.js'

/** Stable codes; branch on these, never on messages. */
export type AdminAreaErrorCode =
  | 'E_VALIDATION'
  | 'E_UNAUTHENTICATED'
  | 'E_FORBIDDEN'
  | 'E_NOT_FOUND'
  /** Another administrator is deciding the same request right now (its lock is held). */
  | 'E_DECISION_IN_PROGRESS'
  /** The request was decided already. */
  | 'E_ALREADY_DECIDED'
  /** The request names no account, so no link can be issued; reject it instead. */
  | 'E_NO_ACCOUNT'
  /** The login link could not be mailed; nothing was changed. */
  | 'E_MAIL_FAILED'
  /** Redis is not answering, so a cache clear could not run. */
  | 'E_REDIS_UNAVAILABLE'

export type { FieldProblem } from '../web/problem-error.js'
export { NO_STORE } from '../web/problem-error.js'

/** A foreseeable failure; see {@link CodedProblemError}. */
export class AdminAreaError extends CodedProblemError<AdminAreaErrorCode> {}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function validationFailure(error: ZodError): AdminAreaError {
  const { detail, errors } = zodProblems(error)
  return new AdminAreaError('E_VALIDATION', 400, detail, { errors })
}

/** 404 for a row that does not exist or belongs to another organisation (indistinguishable). */
export function notFound(what: string): AdminAreaError {
  return new AdminAreaError('E_NOT_FOUND', 404, `${what} not found`)
}
