/**
 * The failures of search and reports: problem+json under `/api/`, an error page elsewhere.
 *
 * @module
 */
import type { ZodError } from 'zod'
import { CodedProblemError, zodProblems } from '../../web/problem-error.js'

/** Stable codes of {@link AnalyticsError}. */
export type AnalyticsErrorCode =
  | 'E_UNAUTHENTICATED'
  | 'E_FORBIDDEN'
  | 'E_NOT_FOUND'
  | 'E_VALIDATION'

/** A search or report request that cannot be answered as asked. */
export class AnalyticsError extends CodedProblemError<AnalyticsErrorCode> {}

/** The 400 for invalid query parameters, naming every offending one. */
export function invalidInput(error: ZodError): AnalyticsError {
  const { detail, errors } = zodProblems(error)
  return new AnalyticsError('E_VALIDATION', 400, detail, { errors })
}

/** The 400 for one invalid parameter found after parsing (e.g. a term of another org). */
export function invalidField(field: string, message: string): AnalyticsError {
  return new AnalyticsError('E_VALIDATION', 400, `Invalid input: ${field}`, {
    errors: [{ field, message }],
  })
}
