/**
 * A client for Toddle's Open API V2 list endpoints, on Node's fetch (undici).
 *
 * `GET {TODDLE_API_URL}/{resource}?limit=N[&cursor=C]` with `Authorization: Bearer
 * {TODDLE_API_TOKEN}` answers `{ data: [...], next_cursor }`; the client follows the cursor to the
 * last page. A 429 is honoured: it waits what `Retry-After` says (or backs off exponentially with
 * jitter when the header is absent) and asks again. So are 502/503/504 and a connection dropped
 * before the page was read to its end: the same page is asked for again, so no item is lost or
 * read twice. Other answers (401, 403, 404, a malformed page) fail at once with the status.
 *
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises'
import { ToddleApiError } from '../errors.js'
import { parseRetryAfter } from './retry-after.js'
import { type ToddleResource, toddlePage } from './shapes.js'

/** Options of {@link ToddleClient}. */
export interface ToddleClientOptions {
  /** API base including the version, e.g. `https://school.toddleapp.com/api/v2`. */
  baseUrl: string
  /** Bearer token; never logged or stored. */
  token: string
  /** Items per page. @default 100 */
  pageSize?: number
  /** Tries per page, the first included. @default 6 */
  maxAttempts?: number
  /** First backoff step without a Retry-After. @default 500 */
  baseDelayMs?: number
  /** Longest wait campus accepts; a longer Retry-After fails the pull. @default 60000 */
  maxDelayMs?: number
  /** Time one request may take, body included. @default 30000 */
  requestTimeoutMs?: number
  /** How to wait (tests record the delays instead of sleeping through them). */
  sleep?: (ms: number) => Promise<void>
  /** Told about every retry, for progress output. */
  onRetry?: (info: RetryInfo) => void
}

/** Why and how long the client waits before asking again. */
export interface RetryInfo {
  resource: ToddleResource
  attempt: number
  delayMs: number
  reason: string
}

/** One page as read. */
export interface ToddlePageRead {
  items: unknown[]
  /** 1-based index of the page's first item within the resource. */
  firstIndex: number
}

/**
 * Reads Toddle list endpoints page by page.
 *
 * @example
 * const client = new ToddleClient({ baseUrl: process.env.TODDLE_API_URL!, token: process.env.TODDLE_API_TOKEN! })
 * for await (const page of client.pages('students')) console.log(page.items.length)
 */
export class ToddleClient {
  private readonly pageSize: number
  private readonly maxAttempts: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly requestTimeoutMs: number
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly options: ToddleClientOptions) {
    this.pageSize = options.pageSize ?? 100
    this.maxAttempts = options.maxAttempts ?? 6
    this.baseDelayMs = options.baseDelayMs ?? 500
    this.maxDelayMs = options.maxDelayMs ?? 60_000
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.sleep = options.sleep ?? ((ms) => delay(ms).then(() => undefined))
  }

  /** Every page of `resource`, following `next_cursor` to the end. */
  async *pages(resource: ToddleResource): AsyncGenerator<ToddlePageRead> {
    let cursor: string | null = null
    let firstIndex = 1
    const seen = new Set<string>()
    do {
      const page = await this.fetchPage(resource, cursor)
      yield { items: page.data, firstIndex }
      firstIndex += page.data.length
      cursor = page.next_cursor ?? null
      // A server that hands back a cursor it already gave would page forever.
      if (cursor !== null) {
        if (seen.has(cursor)) {
          throw new ToddleApiError(`${resource}: the API repeated cursor ${JSON.stringify(cursor)}`)
        }
        seen.add(cursor)
      }
    } while (cursor !== null)
  }

  private url(resource: ToddleResource, cursor: string | null): string {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${resource}`)
    url.searchParams.set('limit', String(this.pageSize))
    if (cursor !== null) url.searchParams.set('cursor', cursor)
    return url.toString()
  }

  private async fetchPage(
    resource: ToddleResource,
    cursor: string | null,
  ): Promise<{ data: unknown[]; next_cursor?: string | null | undefined }> {
    const url = this.url(resource, cursor)
    for (let attempt = 1; ; attempt++) {
      let retry: { delayMs: number; reason: string }
      try {
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        })
        if (response.ok) {
          // Reading the body is inside the try: a connection dropped mid-page fails here.
          const body: unknown = await response.json()
          const page = toddlePage.safeParse(body)
          if (!page.success) {
            throw new ToddleApiError(
              `${resource}: the API answered a page campus cannot read (${page.error.issues
                .map((i) => `${i.path.join('.') || 'page'}: ${i.message}`)
                .join('; ')})`,
              response.status,
            )
          }
          return page.data
        }
        await response.body?.cancel()
        const retryable = response.status === 429 || [502, 503, 504].includes(response.status)
        if (!retryable) {
          throw new ToddleApiError(
            `${resource}: the API answered ${response.status} ${response.statusText}` +
              (response.status === 401 || response.status === 403
                ? ' (check TODDLE_API_TOKEN)'
                : ''),
            response.status,
          )
        }
        const after = parseRetryAfter(response.headers.get('retry-after'))
        if (after !== undefined && after > this.maxDelayMs) {
          throw new ToddleApiError(
            `${resource}: the API asks to wait ${Math.ceil(after / 1000)} s (Retry-After), longer than ${this.maxDelayMs / 1000} s`,
            response.status,
          )
        }
        retry = {
          delayMs: after ?? this.backoff(attempt),
          reason: `${response.status}${after !== undefined ? ' with Retry-After' : ''}`,
        }
      } catch (error) {
        if (error instanceof ToddleApiError) throw error
        // fetch rejects with a TypeError (undici: "fetch failed", "terminated") when the
        // connection fails or drops; a timeout is an AbortError/TimeoutError.
        const name = (error as Error).name
        if (!(error instanceof TypeError) && name !== 'TimeoutError' && name !== 'AbortError') {
          throw error
        }
        retry = { delayMs: this.backoff(attempt), reason: describeNetworkError(error as Error) }
      }
      if (attempt >= this.maxAttempts) {
        throw new ToddleApiError(
          `${resource}: gave up after ${attempt} attempts (last: ${retry.reason})`,
        )
      }
      this.options.onRetry?.({ resource, attempt, delayMs: retry.delayMs, reason: retry.reason })
      await this.sleep(retry.delayMs)
    }
  }

  /** Exponential backoff, capped, half of it random so that clients do not retry in step. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1))
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
  }
}

function describeNetworkError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause
  return `connection failed: ${error.message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`
}
