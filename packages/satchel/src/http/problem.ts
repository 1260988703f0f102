/**
 * RFC 9457 problem details: the one error body every satchel HTTP helper returns.
 * @module
 */

/** An RFC 9457 problem object; extension members are allowed. */
export interface ProblemDetails {
  /** A URI identifying the problem type. @default 'about:blank' */
  type?: string
  /** Short, human-readable summary of the problem type. */
  title: string
  /** The HTTP status code. */
  status: number
  /** Explanation specific to this occurrence. */
  detail?: string
  /** A URI identifying this occurrence. */
  instance?: string
  [extension: string]: unknown
}

/** The media type of a problem body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/**
 * An HTTP error that becomes a problem+json response. Throw it from a handler wrapped by a
 * satchel helper, or turn it into a response with {@link problemResponse}.
 * @example throw new HttpError(422, 'Idempotency key reused', { detail: 'The body differs' })
 */
export class HttpError extends Error {
  readonly status: number
  readonly problem: ProblemDetails
  readonly headers: Record<string, string>
  constructor(
    status: number,
    title: string,
    extra: Omit<Partial<ProblemDetails>, 'status' | 'title'> & {
      headers?: Record<string, string>
    } = {},
  ) {
    const { headers, ...members } = extra
    super(typeof members.detail === 'string' ? members.detail : title)
    this.name = 'HttpError'
    this.status = status
    this.headers = headers ?? {}
    this.problem = { type: 'about:blank', ...members, title, status }
  }
}

/**
 * A problem+json `Response`.
 * @example return problemResponse({ title: 'Too Many Requests', status: 429 }, { 'Retry-After': '3' })
 */
export function problemResponse(
  problem: ProblemDetails,
  headers: Record<string, string> | Headers = {},
): Response {
  const out = new Headers(headers)
  out.set('content-type', PROBLEM_CONTENT_TYPE)
  const body: ProblemDetails = { type: 'about:blank', ...problem }
  return new Response(JSON.stringify(body), { status: problem.status, headers: out })
}

/** Turns an {@link HttpError} into its response; anything else is rethrown to the app's handler. */
export function httpErrorResponse(error: unknown): Response {
  if (error instanceof HttpError) return problemResponse(error.problem, error.headers)
  throw error
}
