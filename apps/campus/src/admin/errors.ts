/**
 * Errors of the admin APIs. Every failure a handler can foresee is an {@link AdminError} with a
 * stable `code`; {@link problemFor} turns it (and a database constraint violation that slipped
 * past the checks, as under a race) into an RFC 9457 problem+json response.
 *
 * @module
 */
import { problemResponse } from 'satchel/http'

/** Stable codes of admin failures; branch on these, never on messages. */
export type AdminErrorCode =
  | 'E_ADMIN_DISABLED'
  | 'E_UNAUTHENTICATED'
  | 'E_VALIDATION'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Service Unavailable',
}

/** A failure of an admin request; `field` names the offending input when there is one. */
export class AdminError extends Error {
  readonly code: AdminErrorCode
  readonly status: number
  readonly field: string | undefined
  constructor(code: AdminErrorCode, status: number, detail: string, field?: string) {
    super(detail)
    this.name = 'AdminError'
    this.code = code
    this.status = status
    this.field = field
  }
}

/** 400: an input is invalid; the message starts with the field so a log line names it too. */
export function invalid(field: string, reason: string): AdminError {
  return new AdminError('E_VALIDATION', 400, `${field}: ${reason}`, field)
}

/** 404: an id in the path or the body names no row. */
export function notFound(what: string, id: string, field?: string): AdminError {
  return new AdminError('E_NOT_FOUND', 404, `${what} ${JSON.stringify(id)} does not exist`, field)
}

/** 409: the change would break a uniqueness rule. */
export function conflict(field: string, reason: string): AdminError {
  return new AdminError('E_CONFLICT', 409, `${field}: ${reason}`, field)
}

/**
 * Admin answers are never cached by a shared cache or a browser: a 401 or 503 cached in front of
 * the API would lock admins out after the cause is fixed, and a 200 holds unpublished content.
 */
export const NO_STORE = { 'cache-control': 'no-store' } as const

/** The problem+json response of an {@link AdminError}. */
export function adminProblem(error: AdminError, headers: Record<string, string> = {}): Response {
  return problemResponse(
    {
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.field === undefined ? {} : { field: error.field }),
    },
    { ...NO_STORE, ...headers },
  )
}

/** PostgreSQL's unique_violation: two writers raced past the pre-checks. */
const UNIQUE_VIOLATION = '23505'

/** Where unexpected errors are reported (pino's shape). */
export interface ErrorLogger {
  error(fields: object, message: string): void
}

/**
 * The response of an error a handler threw: an {@link AdminError} as itself, a unique violation
 * as 409, anything else (a bug, the database down) logged and answered 500, still problem+json
 * and `no-store` so no cache in front keeps the failure.
 */
export function problemFor(error: unknown, logger?: ErrorLogger): Response {
  if (error instanceof AdminError) return adminProblem(error)
  if (pgCode(error) === UNIQUE_VIOLATION) {
    return adminProblem(conflict('sourcedId', 'a row with this id already exists'))
  }
  logger?.error({ err: error }, 'admin request failed')
  return problemResponse(
    { title: 'Internal Server Error', status: 500, detail: 'The request failed; see the logs.' },
    NO_STORE,
  )
}

/** The SQLSTATE of a driver error, also when Drizzle wrapped it (`cause`). */
export function pgCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
