/**
 * Cache administration over the Fetch API: stats (GET) and clearing by key, pattern, tag or
 * namespace (POST), authorised and optionally rate-limited.
 *
 * @module
 */
import type { Context } from 'hono'
import { z } from 'zod'
import type { Cache } from '../cache/types.js'
import { SatchelError } from '../core/errors.js'
import type { SatchelStats } from '../satchel.js'
import { problemResponse } from './problem.js'

/**
 * The caller's verdict. `true` lets the request through; `'unauthenticated'` answers 401,
 * `'forbidden'` 403; `false` answers 401 when the request carries no `Authorization` header and
 * 403 when it does (credentials were presented but are not enough).
 */
export type AuthorizeResult = boolean | 'unauthenticated' | 'forbidden'

/** Options of {@link cacheAdminHandler}. */
export interface CacheAdminOptions {
  /** Decides whether the request may read stats and clear entries. Required: admin is never open. */
  authorize: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>
  /**
   * Runs first, before `authorize`, so guessing credentials is rate-limited too. Return a
   * response (typically a 429 from satchel's rate-limit helper) to stop, or `null` to go on.
   */
  rateLimit?: (request: Request) => Promise<Response | null>
  /** Largest accepted JSON body. @default 16384 */
  maxBodyBytes?: number
}

/** What the admin handler needs from satchel (a `Satchel` fits). */
export interface CacheAdminSatchel {
  readonly cache: Pick<Cache, 'del' | 'delPattern' | 'invalidateTags' | 'namespace'>
  stats(): SatchelStats
  readonly options: { readonly prefix: string }
}

const part = z.string().min(1).max(1024)
const list = z.array(part).min(1).max(1000)

/** The POST body: exactly one of the fields. */
export const clearRequestSchema = z
  .object({
    key: part.optional(),
    keys: list.optional(),
    pattern: part.optional(),
    tag: part.optional(),
    tags: list.optional(),
    namespace: part.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const given = Object.values(body).filter((v) => v !== undefined).length
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give exactly one of key, keys, pattern, tag, tags, namespace',
      })
    }
  })

/** A validated clear request. */
export type ClearRequest = z.infer<typeof clearRequestSchema>

/** What a successful clear reports. */
export interface ClearResult {
  by: 'key' | 'pattern' | 'tag' | 'namespace'
  /** Entries removed, or null when the operation does not count them (tags are stamps). */
  removed: number | null
}

/**
 * A Fetch-API handler for cache administration. `GET` answers `satchel.stats()` as JSON;
 * `POST` with a JSON body clears entries:
 *
 * - `{ "key": "campus:o:7:report:1" }` or `{ "keys": [...] }`: those keys;
 * - `{ "pattern": "campus:o:7:report:*" }`: a Redis glob, SCAN + UNLINK on every master (never
 *   `KEYS`), accepted only inside the cache's entry families (`<prefix>:o:`, `:g:`, `:ns:`), so
 *   no caller can reach the cache's own state under `:c:` (tag stamps, stampede locks),
 *   rate-limit, lock, idempotency, session or counter state, or keys outside satchel's;
 * - `{ "tag": "course:42" }` or `{ "tags": [...] }`: tag invalidation;
 * - `{ "namespace": "bundles" }`: `satchel.cache.namespace(name).clear()`.
 *
 * Keys must lie in the same families. Errors are problem+json: 400 naming the offending
 * field, 401/403 from `authorize`, 405 for other methods, 503 when Redis is unavailable.
 * The handler ignores the path, so mount it wherever the app keeps admin routes.
 *
 * @example
 * ```ts
 * const admin = cacheAdminHandler(satchel, {
 *   authorize: (request) => request.headers.get('authorization') === `Bearer ${env.ADMIN_TOKEN}`,
 * })
 * export const GET = admin   // Next.js route handler
 * export const POST = admin
 * ```
 */
export function cacheAdminHandler(
  satchel: CacheAdminSatchel,
  options: CacheAdminOptions,
): (request: Request) => Promise<Response> {
  const prefix = `${satchel.options.prefix}:`
  const maxBodyBytes = options.maxBodyBytes ?? 16_384
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return problemResponse(
        { title: 'Method Not Allowed', status: 405, detail: 'Use GET for stats, POST to clear.' },
        { allow: 'GET, POST' },
      )
    }
    const limited = await options.rateLimit?.(request)
    if (limited) return limited
    const denied = await authorizationFailure(request, options)
    if (denied) return denied
    if (request.method === 'GET') {
      return Response.json(satchel.stats(), { headers: { 'cache-control': 'no-store' } })
    }
    const parsed = await readBody(request, maxBodyBytes)
    if (parsed instanceof Response) return parsed
    const scoped = outsidePrefix(parsed, prefix)
    if (scoped) return scoped
    try {
      const result = await clear(satchel, parsed)
      return Response.json({ cleared: result }, { headers: { 'cache-control': 'no-store' } })
    } catch (error) {
      return mapError(error)
    }
  }
}

async function authorizationFailure(
  request: Request,
  options: CacheAdminOptions,
): Promise<Response | null> {
  const verdict = await options.authorize(request)
  if (verdict === true) return null
  const unauthenticated =
    verdict === 'unauthenticated' || (verdict === false && !request.headers.has('authorization'))
  return unauthenticated
    ? problemResponse(
        { title: 'Unauthorized', status: 401, detail: 'Credentials are required.' },
        { 'www-authenticate': 'Bearer' },
      )
    : problemResponse({
        title: 'Forbidden',
        status: 403,
        detail: 'Not allowed to manage the cache.',
      })
}

async function readBody(request: Request, maxBytes: number): Promise<ClearRequest | Response> {
  // The declared length refuses an oversized body before reading it; the read length catches a
  // chunked body that declared none.
  const declared = Number(request.headers.get('content-length') ?? 0)
  const text = declared > maxBytes ? '' : await request.text()
  if (declared > maxBytes || Buffer.byteLength(text) > maxBytes) {
    return invalid('body', `the body exceeds ${maxBytes} bytes`, 413, 'Content Too Large')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return invalid('body', 'the body is not valid JSON')
  }
  const result = clearRequestSchema.safeParse(json)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field =
    issue?.code === 'unrecognized_keys'
      ? String(issue.keys[0])
      : issue && issue.path.length > 0
        ? issue.path.map(String).join('.')
        : 'body'
  return invalid(field, issue?.message ?? 'invalid body', 400, 'Bad Request', result.error.issues)
}

/**
 * The key families that hold cache entries (see `cache/types.ts`). Rate-limit, lock,
 * idempotency, session and counter keys share the prefix but are not cache: clearing them would
 * reset brute-force limits, free held locks or let a completed request run twice. The cache's
 * own internal family `<prefix>:c:` is refused too: deleting its tag stamps brings invalidated
 * entries back (the full clear keeps them for that reason), and deleting a stampede lock lets a
 * second process run a factory that is already running.
 */
const CACHE_FAMILIES = ['o:', 'g:', 'ns:'] as const

function inCache(text: string, prefix: string): boolean {
  return CACHE_FAMILIES.some((family) => text.startsWith(prefix + family))
}

function outsidePrefix(body: ClearRequest, prefix: string): Response | null {
  const families = CACHE_FAMILIES.map((family) => `"${prefix}${family}"`).join(', ')
  if (body.pattern !== undefined && !inCache(body.pattern, prefix)) {
    return invalid('pattern', `the pattern must start with one of ${families}`)
  }
  const keys = body.keys ?? (body.key === undefined ? [] : [body.key])
  const index = keys.findIndex((key) => !inCache(key, prefix))
  if (index >= 0) {
    return invalid(body.keys ? `keys.${index}` : 'key', `keys must start with one of ${families}`)
  }
  return null
}

async function clear(satchel: CacheAdminSatchel, body: ClearRequest): Promise<ClearResult> {
  const cache = satchel.cache
  if (body.key !== undefined || body.keys) {
    const keys = body.keys ?? [body.key as string]
    return { by: 'key', removed: await cache.del(...keys) }
  }
  if (body.pattern !== undefined)
    return { by: 'pattern', removed: await cache.delPattern(body.pattern) }
  if (body.tag !== undefined || body.tags) {
    await cache.invalidateTags(body.tags ?? [body.tag as string])
    return { by: 'tag', removed: null }
  }
  return { by: 'namespace', removed: await cache.namespace(body.namespace as string).clear() }
}

function mapError(error: unknown): Response {
  if (error instanceof SatchelError) {
    if (error.code === 'E_REDIS_UNAVAILABLE') {
      return problemResponse(
        { title: 'Service Unavailable', status: 503, detail: 'Redis is unavailable; retry later.' },
        { 'retry-after': '1' },
      )
    }
    if (error.code === 'E_INVALID_OPTION' || error.code === 'E_INVALID_KEY') {
      const field = (error as SatchelError & { field?: unknown }).field
      return invalid(typeof field === 'string' ? field : 'body', error.message)
    }
  }
  throw error
}

function invalid(
  field: string,
  detail: string,
  status = 400,
  title = 'Bad Request',
  issues?: unknown,
): Response {
  return problemResponse({
    title,
    status,
    detail: `${field}: ${detail}`,
    field,
    ...(issues === undefined ? {} : { issues }),
  })
}

/**
 * The same handler as a Hono route handler (`c.req.raw` is the Fetch `Request`).
 *
 * @example
 * ```ts
 * const admin = cacheAdminRoute(satchel, { authorize: isAdmin })
 * app.on(['GET', 'POST'], '/api/admin/cache', admin)
 * ```
 */
export function cacheAdminRoute(
  satchel: CacheAdminSatchel,
  options: CacheAdminOptions,
): (c: Context) => Promise<Response> {
  const handler = cacheAdminHandler(satchel, options)
  return (c) => handler(c.req.raw)
}
