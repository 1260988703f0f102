/**
 * Errors of tenants, dispatches and dispatch launches: one type with a stable `code`, answered
 * as RFC 9457 problem+json. A launch refusal names the check that failed (`code`) and, where it
 * helps the tenant's administrator, the value that failed it (`expiredAt`, `cap`, `origin`).
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, zodProblems } from '../web/problem-error.js'

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
  /** The dispatched package was archived by its organisation: no launch, not even a resume. */
  | 'E_DISPATCH_PACKAGE_ARCHIVED'
  /** Another tenant of the organisation has this name. */
  | 'E_TENANT_NAME_TAKEN'

export type { FieldProblem } from '../web/problem-error.js'
export { NO_STORE } from '../web/problem-error.js'

/** A foreseeable failure; see {@link CodedProblemError}. */
export class DispatchError extends CodedProblemError<DispatchErrorCode> {}

/** 400 from a zod failure: one entry per issue, the field as a dotted path. */
export function dispatchValidationError(error: ZodError): DispatchError {
  const { detail, errors } = zodProblems(error)
  return new DispatchError('E_VALIDATION', 400, detail, { errors })
}

/** 404 for a row that does not exist or belongs to another organisation (indistinguishable). */
export function dispatchNotFound(what: string): DispatchError {
  return new DispatchError('E_NOT_FOUND', 404, `${what} not found`)
}
