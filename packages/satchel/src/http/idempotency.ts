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
 * | same key, completed, response not kept      | 410 problem+json (`too-large` or `incomplete`)  |
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
import {
  type Prefetched,
  prefetchBody,
  type StreamOutcome,
  teeForRecord,
} from './idempotency-stream.js'
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
   * @default false (optional, best-effort idempotency)
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
 * Response header on an answer produced while the key could not be recorded (`bypass`: Redis
 * down with `onStoreDown: 'proceed'`, or the `idempotency` flag off): the operation ran, and a
 * retry with the same key may run it again.
 * @example if (response.headers.get(IDEMPOTENCY_RECORDED_HEADER) === 'false') warnUser()
 */
export const IDEMPOTENCY_RECORDED_HEADER = 'Idempotency-Recorded'

/**
 * Creates the idempotency middleware. It reads the body once (a clone) for the fingerprint and
 * hands the untouched request to the handler, so it works unchanged in a Next.js route handler,
 * Hono, Bun or Deno.
 *
 * The handler's response body streams to the client as it is produced (an endless
 * `text/event-stream` flows; a large export is not held in memory) while at most `maxBodyBytes`
 * of it are kept for the record. The record is completed when the body ends, before the
 * response stream closes, so a client that read the whole response and retries gets the replay.
 * A body over `maxBodyBytes`, or one the client stopped reading, completes the record as not
 * replayable: duplicates get 410 problem+json naming the original status instead of a second
 * run. Until the body ends the record stays pending (duplicates get 409) and its lease is
 * renewed.
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
        return markUnrecorded(await handler(request))
      case 'not-replayable':
        return notReplayable(result.status, result.headers, result.reason)
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
    const stop = () => {
      if (heartbeat) clearInterval(heartbeat)
    }
    let response: Response
    try {
      response = await handler(request)
    } catch (error) {
      stop()
      await record.fail()
      throw error
    }
    if (!idem.options.storeStatus(response.status) || !response.body) {
      stop()
      await record.complete({ status: response.status, headers: response.headers })
      return response
    }
    const meta = { status: response.status, headers: response.headers }
    const init = {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    }
    let prefetched: Prefetched
    try {
      prefetched = await prefetchBody(response.body, idem.options.maxBodyBytes)
    } catch (error) {
      stop()
      await record.fail()
      throw error
    }
    if (prefetched.whole) {
      stop()
      await record.complete({ ...meta, body: prefetched.body })
      return new Response(prefetched.body, init)
    }
    const settle = async (outcome: StreamOutcome): Promise<void> => {
      stop()
      if (outcome.kind === 'errored') await record.fail()
      else if (outcome.kind === 'cancelled') await record.completeUnreplayable(meta, 'incomplete')
      else if (outcome.kept) await record.complete({ ...meta, body: outcome.body })
      else await record.completeUnreplayable(meta, 'too-large')
    }
    return new Response(teeForRecord(prefetched.stream, idem.options.maxBodyBytes, settle), init)
  }
}

/** Adds `Idempotency-Recorded: false`, re-wrapping a response whose headers are immutable. */
function markUnrecorded(response: Response): Response {
  try {
    response.headers.set(IDEMPOTENCY_RECORDED_HEADER, 'false')
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const copy = new Response(response.body, response)
    copy.headers.set(IDEMPOTENCY_RECORDED_HEADER, 'false')
    return copy
  }
}

/**
 * The answer to a duplicate of an operation that completed but whose response was not kept:
 * 410, since retrying will not bring it back, with the original status and the resource's
 * `Location` / `Content-Location` when it sent them, so the client can fetch the result.
 */
function notReplayable(
  status: number,
  stored: ReadonlyArray<readonly [string, string]>,
  reason: 'too-large' | 'incomplete',
): Response {
  const headers = new Headers({ [IDEMPOTENT_REPLAYED_HEADER]: 'true' })
  for (const [name, value] of stored) {
    if (name === 'location' || name === 'content-location') headers.set(name, value)
  }
  const why =
    reason === 'too-large'
      ? 'its response was too large to keep for replay'
      : 'its response was not delivered in full, so it was not kept for replay'
  return problemResponse(
    {
      type: NOT_REPLAYABLE_TYPE,
      title: 'Response not replayable',
      status: 410,
      detail: `The request with this Idempotency-Key completed with status ${status}, but ${why}; it was not run again`,
      'original-status': status,
      reason,
    },
    headers,
  )
}

/**
 * The problem type of the 410 a duplicate gets when the first response was not kept.
 * @example if (problem.type === NOT_REPLAYABLE_TYPE) fetchResult(response.headers.get('location'))
 */
export const NOT_REPLAYABLE_TYPE = 'urn:satchel:problem:idempotent-response-not-replayable'

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
