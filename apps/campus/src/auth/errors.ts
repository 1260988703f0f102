/**
 * Errors of the sign-in flows. Every foreseeable failure is an {@link AuthError} with a stable
 * `code`; {@link authProblem} turns it into RFC 9457 problem+json. Validation failures list
 * every offending field (`errors: [{ field, message }]`).
 *
 * @module
 */
import { problemResponse } from 'satchel/http'
import type { ZodError } from 'zod'

/** Stable codes of sign-in failures; branch on these, never on messages. */
export type AuthErrorCode =
  | 'E_VALIDATION'
  | 'E_INVALID_CREDENTIALS'
  | 'E_UNAUTHENTICATED'
  | 'E_FORBIDDEN'
  | 'E_LINK_INVALID'
  | 'E_INVITATION_INVALID'

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
  410: 'Gone',
}

/** A failure of a sign-in request. */
export class AuthError extends Error {
  readonly code: AuthErrorCode
  readonly status: number
  readonly errors: readonly FieldProblem[]
  constructor(
    code: AuthErrorCode,
    status: number,
    detail: string,
    errors: readonly FieldProblem[] = [],
  ) {
    super(detail)
    this.name = 'AuthError'
    this.code = code
    this.status = status
    this.errors = errors
  }
}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function validationError(error: ZodError): AuthError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const fields = [...new Set(errors.map((e) => e.field))]
  return new AuthError('E_VALIDATION', 400, `Invalid input: ${fields.join(', ')}`, errors)
}

/**
 * The one answer for an unknown account and a wrong password, so the response does not tell
 * which it was.
 */
export function invalidCredentials(): AuthError {
  return new AuthError('E_INVALID_CREDENTIALS', 401, 'The email or password is incorrect.')
}

/** Sign-in answers must never be stored by a browser or shared cache. */
export const NO_STORE = { 'cache-control': 'no-store' } as const

/** The problem+json response of an {@link AuthError}. */
export function authProblem(error: AuthError, headers: Record<string, string> = {}): Response {
  return problemResponse(
    {
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    },
    { ...NO_STORE, ...headers },
  )
}
