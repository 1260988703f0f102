/**
 * Errors of the sign-in flows. Every foreseeable failure is an {@link AuthError} with a stable
 * `code`; {@link authProblem} turns it into RFC 9457 problem+json. Validation failures list
 * every offending field (`errors: [{ field, message }]`).
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, type FieldProblem, zodProblems } from '../web/problem-error.js'

/** Stable codes of sign-in failures; branch on these, never on messages. */
export type AuthErrorCode =
  | 'E_VALIDATION'
  | 'E_INVALID_CREDENTIALS'
  | 'E_UNAUTHENTICATED'
  | 'E_FORBIDDEN'
  | 'E_LINK_INVALID'
  | 'E_INVITATION_INVALID'

export { type FieldProblem, NO_STORE } from '../web/problem-error.js'

/** A failure of a sign-in request (sign-in answers are never stored: no-store). */
export class AuthError extends CodedProblemError<AuthErrorCode> {
  constructor(
    code: AuthErrorCode,
    status: number,
    detail: string,
    errors: readonly FieldProblem[] = [],
  ) {
    super(code, status, detail, { errors })
  }
}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function validationError(error: ZodError): AuthError {
  const { detail, errors } = zodProblems(error)
  return new AuthError('E_VALIDATION', 400, detail, errors)
}

/**
 * The one answer for an unknown account and a wrong password, so the response does not tell
 * which it was.
 */
export function invalidCredentials(): AuthError {
  return new AuthError('E_INVALID_CREDENTIALS', 401, 'The email or password is incorrect.')
}

/** The problem+json response of an {@link AuthError}. */
export function authProblem(error: AuthError, headers: Record<string, string> = {}): Response {
  return error.response(headers)
}
