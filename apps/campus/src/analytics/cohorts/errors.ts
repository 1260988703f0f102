/**
 * Errors of the cohort pages and their JSON twins: one coded type answered as problem+json
 * (`/api/…`) or as an HTML page naming the same fields.
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, zodProblems } from '../../web/problem-error.js'

/** Stable codes; branch on these, never on messages. */
export type CohortErrorCode =
  | 'E_VALIDATION'
  | 'E_UNAUTHENTICATED'
  | 'E_FORBIDDEN'
  /** Unknown id, or an id outside the session's organisations (indistinguishable). */
  | 'E_NOT_FOUND'
  /** A bug or an unavailable database; details are in the log. */
  | 'E_INTERNAL'

/** A foreseeable failure of a cohort request. */
export class CohortError extends CodedProblemError<CohortErrorCode> {}

/** 400 naming every offending query field. */
export function cohortValidation(error: ZodError): CohortError {
  const { detail, errors } = zodProblems(error)
  return new CohortError('E_VALIDATION', 400, detail, { errors })
}

/** 400 for one field that passed its own check but not the combination. */
export function badField(field: string, message: string): CohortError {
  return new CohortError('E_VALIDATION', 400, `Invalid input: ${field}`, {
    errors: [{ field, message }],
  })
}

/** 404 for an id that does not exist or belongs to another organisation. */
export function notFound(what: string): CohortError {
  return new CohortError('E_NOT_FOUND', 404, `${what} not found`)
}
