/**
 * The one shape of a foreseeable request failure in campus's admin area and dispatch APIs: an
 * error with a stable `code`, an HTTP status and, for invalid input, every offending field,
 * answered as RFC 9457 problem+json that no browser or shared cache stores. Each area declares
 * its own codes by extending {@link CodedProblemError}.
 *
 * @module
 */
import { problemResponse } from 'satchel/http'
import type { ZodError } from 'zod'

/** One field-level problem. */
export interface FieldProblem {
  readonly field: string
  readonly message: string
}

/** These answers are never stored by a browser or a shared cache. */
export const NO_STORE = { 'cache-control': 'no-store' } as const

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

/** What a failure carries besides its code, status and detail. */
export interface ProblemOptions {
  /** Field-level problems (`errors: [{ field, message }]`). */
  errors?: readonly FieldProblem[]
  /** Extra members of the problem body (e.g. a decided request's `requestStatus`). */
  extra?: Record<string, unknown>
}

/**
 * A failure with a stable code of the union `Code`, answered by {@link CodedProblemError.response}.
 * @example class ShopError extends CodedProblemError<'E_SOLD_OUT'> {}
 */
export class CodedProblemError<Code extends string> extends Error {
  readonly code: Code
  readonly status: number
  readonly errors: readonly FieldProblem[]
  readonly extra: Readonly<Record<string, unknown>>
  constructor(code: Code, status: number, detail: string, options: ProblemOptions = {}) {
    super(detail)
    this.name = new.target.name
    this.code = code
    this.status = status
    this.errors = options.errors ?? []
    this.extra = options.extra ?? {}
  }

  /** The problem+json response (`headers` adds e.g. the CORS headers of a launch). */
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

/** A zod failure as field problems (the field as a dotted path) and a detail naming them. */
export function zodProblems(error: ZodError): { detail: string; errors: FieldProblem[] } {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const fields = [...new Set(errors.map((e) => e.field))]
  return { detail: `Invalid input: ${fields.join(', ')}`, errors }
}
