/**
 * `Idempotency-Key` for Fetch-API handlers (IETF draft-ietf-httpapi-idempotency-key-header), and
 * a thin Hono adapter.
 *
 * | situation                                   | answer                                          |
 * |---------------------------------------------|-------------------------------------------------|
 * | first request with a key                    | the handler's response (stored for replay)      |
 * | same key, same payload, completed           | stored status, headers, body + `Idempotent-Replayed: true` |
 * | same key, same payload, still running       | 409 problem+json, `Retry-After`                 |
 * | same key, different payload                 | 422 problem+json                                |
 * | no key and `required`                       | 400 problem+json                                |
 * | malformed key (not printable, > 255)        | 400 problem+json                                |
 * | Redis down, `onStoreDown: 'proceed'`        | the handler runs, nothing recorded              |
 * | Redis down, `onStoreDown: 'reject'`         | 503 problem+json, `Retry-After`                 |
 * | `idempotency` flag off, or another method   | the handler runs, nothing recorded              |
 *
 * @module
 */
import {
  type BeginResult,
  type Idempotency,
  type NewRecord,
  requestFingerprint,
  type StoredResponse,
} from '../idempotency/index.js'
import { parseIdempotencyKey } from './idempotency-key-header.js'
import { problemResponse } from './problem.js'

/**
 * Who sends the request: the record is bound to these (and the endpoint).
 * @example { orgId: session.orgId, principal: session.userId }
 */
export interface IdempotencyIdentity {
  /** The organisation; omit only for requests that belong to none. */
  orgId?: string | number | undefined
  /** The authenticated user or API client. */
  principal: string | number
}

/**
 * Options of {@link idempotency} and {@link honoIdempotency}.
 * @example { identify: (req) => ({ orgId: orgOf(req), principal: userOf(req) }), required: true }
 */
export interface IdempotencyMiddlewareOptions {
  /** Resolves organisation and principal from the request (session, token, API key). */
  identify: (request: Request) => IdempotencyIdentity | Promise<IdempotencyIdentity>
  /**
   * Names the operation the key belongs to.
   * @default `${request.method} ${url.pathname}`
   */
  endpoint?: (request: Request) => string
  /**
   * Answer 400 when the header is missing. When false, a request without a key runs unrecorded.
   * @default false (the seeds' "optional, best-effort idempotency")
   */
  required?: boolean
  /**
   * Methods the key applies to; others pass straight through.
   * @default ['POST', 'PATCH']
   */
  methods?: readonly string[]
  /**
   * Renew the lease every third of it while the handler runs, so a slow handler is not taken
   * over by a retry. Turn off to make the lease a hard cap on handler time.
   * @default true
   */
  autoExtend?: boolean
}

/**
 * A Fetch-API handler.
 * @example const handler: FetchHandler = async (req) => Response.json(await create(await req.json()))
 */
export type FetchHandler = (request: Request) => Promise<Response> | Response

/**
 * The middleware: `(request, handler) => Promise<Response>`.
 * @example return guard(request, (req) => createReport(req))
 */
export type IdempotencyMiddleware = (request: Request, handler: FetchHandler) => Promise<Response>

/**
 * Response header marking a replayed response.
 * @example response.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true'
 */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed'

// Statuses whose response must not carry a body (the Response constructor rejects one).
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/**
 * Creates the idempotency middleware. It reads the body once (a clone) for the fingerprint and
 * hands the untouched request to the handler, so it works unchanged in a Next.js route handler,
 * Hono, Bun or Deno. The handler's response is buffered to be stored (up to `maxBodyBytes`)
 * before it is returned, so a retry arriving after the response sees the completed record.
 *
 * A handler that throws removes the record (a retry runs again) and the error propagates to
 * the app's error handler; 5xx, 408, 409, 425 and 429 are returned but not stored (see the
 * `storeStatus` option).
 *
 * @example
 * ```ts
 * // app/api/reports/route.ts (Next.js)
 * const guard = idempotency(satchel.idempotency({}), { identify: sessionIdentity, required: true })
 * export async function POST(request: Request) {
 *   return guard(request, async (req) => Response.json(await createReport(await req.json()), { status: 201 }))
 * }
 * ```
 */
export function idempotency(
  idem: Idempotency,
  options: IdempotencyMiddlewareOptions,
): IdempotencyMiddleware {
  const methods = new Set((options.methods ?? ['POST', 'PATCH']).map((m) => m.toUpperCase()))
  const required = options.required ?? false
  const autoExtend = options.autoExtend ?? true
  const endpointOf =
    options.endpoint ??
    ((request: Request) => `${request.method.toUpperCase()} ${new URL(request.url).pathname}`)

  return async (request, handler) => {
    if (!methods.has(request.method.toUpperCase())) return handler(request)
    const header = request.headers.get('idempotency-key')
    if (header === null) {
      if (!required) return handler(request)
      return problemResponse({
        title: 'Idempotency-Key required',
        status: 400,
        detail: `${request.method.toUpperCase()} requests to this endpoint need an Idempotency-Key header`,
      })
    }
    const parsed = parseIdempotencyKey(header)
    if (!parsed.ok) {
      return problemResponse({
        title: 'Invalid Idempotency-Key',
        status: 400,
        detail: parsed.detail,
      })
    }
    const identity = await options.identify(request)
    const endpoint = endpointOf(request)
    const url = new URL(request.url)
    const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : undefined
    const fingerprint = requestFingerprint({
      method: request.method,
      path: url.pathname + url.search,
      contentType: request.headers.get('content-type'),
      body,
    })
    const result = await idem.begin({
      key: parsed.key,
      endpoint,
      orgId: identity.orgId,
      principal: identity.principal,
      fingerprint,
    })
    return answer(result, request, handler)
  }

  async function answer(
    result: BeginResult,
    request: Request,
    handler: FetchHandler,
  ): Promise<Response> {
    switch (result.kind) {
      case 'new':
        return run(result, request, handler)
      case 'replay':
        return replayResponse(result.response)
      case 'bypass':
        return handler(request)
      case 'in-flight':
        // A short hint rather than the lease left: the lease is renewed while the handler runs,
        // and the replay is ready as soon as it finishes.
        return problemResponse(
          {
            title: 'Request in progress',
            status: 409,
            detail: 'A request with this Idempotency-Key is still being processed; retry later',
          },
          { 'Retry-After': '1' },
        )
      case 'mismatch':
        return problemResponse({
          title: 'Idempotency-Key reused',
          status: 422,
          detail: 'This Idempotency-Key was used with a different request payload',
        })
      case 'invalid-key':
        return problemResponse({
          title: 'Invalid Idempotency-Key',
          status: 400,
          detail: result.detail,
        })
      case 'store-down':
        return problemResponse(
          {
            title: 'Idempotency store unavailable',
            status: 503,
            detail: 'The request was not run because its Idempotency-Key could not be recorded',
          },
          { 'Retry-After': '1' },
        )
    }
  }

  async function run(record: NewRecord, request: Request, handler: FetchHandler) {
    const heartbeat =
      autoExtend && idem.options.leaseMs >= 3
        ? setInterval(() => void record.extend(), Math.floor(idem.options.leaseMs / 3))
        : undefined
    heartbeat?.unref?.()
    let response: Response
    let bytes: Uint8Array | undefined
    try {
      response = await handler(request)
      // Body read from a clone, so the caller still gets the handler's own Response object.
      if (idem.options.storeStatus(response.status) && response.body) {
        bytes = new Uint8Array(await response.clone().arrayBuffer())
      }
    } catch (error) {
      await record.fail()
      throw error
    } finally {
      if (heartbeat) clearInterval(heartbeat)
    }
    await record.complete({ status: response.status, headers: response.headers, body: bytes })
    return response
  }
}

/**
 * The replay of a stored response: its status, its allow-listed headers and its exact body
 * bytes, plus `Idempotent-Replayed: true`.
 * @example return replayResponse(result.response)
 */
export function replayResponse(stored: StoredResponse): Response {
  const headers = new Headers()
  for (const [name, value] of stored.headers) headers.append(name, value)
  headers.set(IDEMPOTENT_REPLAYED_HEADER, 'true')
  const body = NULL_BODY_STATUS.has(stored.status) ? null : stored.body
  return new Response(body, { status: stored.status, headers })
}

/**
 * The part of a Hono `Context` the adapter uses (structural, so `satchel/http` needs no Hono
 * import, and Next.js users do not need Hono installed).
 * @example const mw: (c: HonoContextLike, next: () => Promise<void>) => Promise<void> = honoIdempotency(idem, opts)
 */
export interface HonoContextLike {
  readonly req: { readonly raw: Request }
  res: Response
  readonly error?: unknown
}

/**
 * Hono middleware: the same behaviour as {@link idempotency}. Mount it before anything that
 * reads the body (validators), since it clones the raw request. An error in the route (which
 * Hono's `onError` turns into `c.res` and `c.error`) removes the record, as a throw does.
 *
 * @example
 * ```ts
 * app.post('/api/admin/login-link-requests', honoIdempotency(idem, { identify }), approveHandler)
 * ```
 */
export function honoIdempotency(
  idem: Idempotency,
  options: IdempotencyMiddlewareOptions,
): (c: HonoContextLike, next: () => Promise<void>) => Promise<void> {
  const guard = idempotency(idem, options)
  return async (c, next) => {
    let routeError: { error: unknown } | undefined
    try {
      const response = await guard(c.req.raw, async () => {
        await next()
        if (c.error !== undefined) {
          routeError = { error: c.error }
          throw c.error
        }
        return c.res
      })
      if (response !== c.res) c.res = response
    } catch (error) {
      // The route's own error: Hono's onError already produced c.res; keep it.
      if (routeError === undefined || error !== routeError.error) throw error
    }
  }
}
