/**
 * Errors of tenants, dispatches and dispatch launches: one type with a stable `code`, answered
 * as RFC 9457 problem+json. A launch refusal names the check that failed (`code`) and, where it
 * helps the tenant's administrator, the value that failed it (`expiredAt`, `cap`, `origin`).
 *
 * @module
 */
import { problemResponse } from 'satchel/http'
import type { ZodError } from 'zod'

/** Stable codes; branch on these, never on messages. */
export type DispatchErrorCode =
  | 'E_VALIDATION'
  | 'E_NOT_FOUND'
  /** The dispatch key is unknown or revoked. */
  | 'E_DISPATCH_KEY_INVALID'
  | 'E_TENANT_DISABLED'
  | 'E_TENANT_EXPIRED'
  | 'E_DISPATCH_DISABLED'
  | 'E_DISPATCH_EXPIRED'
  /** The launching page's Origin/Referer is missing or not among the tenant's domains. */
  | 'E_DOMAIN_NOT_ALLOWED'
  /** The dispatch has as many registrations as its cap allows. */
  | 'E_DISPATCH_CAP_REACHED'
  /** The tenant has as many registrations (over all its dispatches) as its cap allows. */
  | 'E_TENANT_CAP_REACHED'
  /** The launch token (player, package files, commits) is unknown or expired. */
  | 'E_LAUNCH_TOKEN_INVALID'
  /** Another tenant of the organisation has this name. */
  | 'E_TENANT_NAME_TAKEN'

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
  410: 'Gone',
}

/** Dispatch answers are never stored by a browser or a shared cache. */
export const NO_STORE = { 'cache-control': 'no-store' } as const

/** A foreseeable failure of a tenant, dispatch or launch request. */
export class DispatchError extends Error {
  readonly code: DispatchErrorCode
  readonly status: number
  readonly errors: readonly FieldProblem[]
  readonly extra: Readonly<Record<string, unknown>>
  constructor(
    code: DispatchErrorCode,
    status: number,
    detail: string,
    options: { errors?: readonly FieldProblem[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail)
    this.name = 'DispatchError'
    this.code = code
    this.status = status
    this.errors = options.errors ?? []
    this.extra = options.extra ?? {}
  }

  /** The problem+json response (`headers` adds e.g. CORS headers of a launch). */
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
export function dispatchValidationError(error: ZodError): DispatchError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const fields = [...new Set(errors.map((e) => e.field))]
  return new DispatchError('E_VALIDATION', 400, `Invalid input: ${fields.join(', ')}`, { errors })
}

/** 404 for a row that does not exist or belongs to another organisation (indistinguishable). */
export function dispatchNotFound(what: string): DispatchError {
  return new DispatchError('E_NOT_FOUND', 404, `${what} not found`)
}
