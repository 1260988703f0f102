/**
 * Errors of the admin area and the login-link requests: one error type with a stable `code`,
 * answered as RFC 9457 problem+json; validation failures list every offending field
 * (`errors: [{ field, message }]`), the shape the sign-in APIs use too.
 *
 * @module
 */
import { problemResponse } from 'satchel/http'
import type { ZodError } from 'zod'

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
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

/** Admin answers are never stored by a browser or a shared cache. */
export const NO_STORE = { 'cache-control': 'no-store' } as const

/** A foreseeable failure of an admin-area request. */
export class AdminAreaError extends Error {
  readonly code: AdminAreaErrorCode
  readonly status: number
  readonly errors: readonly FieldProblem[]
  /** Extra members of the problem body (e.g. the decided request's `requestStatus`). */
  readonly extra: Readonly<Record<string, unknown>>
  constructor(
    code: AdminAreaErrorCode,
    status: number,
    detail: string,
    options: { errors?: readonly FieldProblem[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail)
    this.name = 'AdminAreaError'
    this.code = code
    this.status = status
    this.errors = options.errors ?? []
    this.extra = options.extra ?? {}
  }

  /** The problem+json response. */
  response(headers: Record<string, string> = {}): Response {
    return problemResponse(
      {
        title: TITLES[this.status] ?? 'Error',
        status: this.status,
        detail: this.message,
        code: this.code,
        ...this.extra,
        ...(this.errors.length > 0 ? { errors: this.errors } : {}),
      },
      { ...NO_STORE, ...headers },
    )
  }
}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function validationFailure(error: ZodError): AdminAreaError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const fields = [...new Set(errors.map((e) => e.field))]
  return new AdminAreaError('E_VALIDATION', 400, `Invalid input: ${fields.join(', ')}`, { errors })
}

/** 404 for a row that does not exist or belongs to another organisation (indistinguishable). */
export function notFound(what: string): AdminAreaError {
  return new AdminAreaError('E_NOT_FOUND', 404, `${what} not found`)
}
