/**
 * The request body bound of every route (`HTTP_BODY_LIMIT`): a larger body is refused with 413
 * before any handler reads it, by its Content-Length or, for a chunked body, as soon as the bytes
 * read pass the limit. See docs/SECURITY.md.
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { problemResponse } from 'satchel/http'

/**
 * Hono middleware refusing bodies over `maxBytes` with a 413 problem+json. `overrides` gives
 * single paths (file uploads) a bound of their own.
 */
export function requestBodyLimit(
  maxBytes: number,
  overrides: Readonly<Record<string, number>> = {},
): MiddlewareHandler {
  const special = new Map(Object.entries(overrides).map(([path, bytes]) => [path, limitOf(bytes)]))
  const general = limitOf(maxBytes)
  return (c, next) => (special.get(c.req.path) ?? general)(c, next)
}

function limitOf(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () =>
      problemResponse(
        {
          title: 'Content Too Large',
          status: 413,
          detail: `The request body is larger than ${maxBytes} bytes.`,
          code: 'E_BODY_TOO_LARGE',
        },
        { 'cache-control': 'no-store' },
      ),
  })
}
