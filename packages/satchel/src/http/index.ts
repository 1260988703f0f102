/**
 * Fetch-API HTTP helpers: `(request: Request) => Response` building blocks that run unchanged in
 * Hono, Next.js route handlers, Bun or Deno, plus thin Hono adapters.
 *
 * @packageDocumentation
 */
export {
  HttpError,
  httpErrorResponse,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problemResponse,
} from './problem.js'
