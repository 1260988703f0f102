/**
 * The response a completed record replays: status, a safe subset of headers, body bytes.
 * @module
 */

/**
 * A response as stored for replay.
 * @example { status: 201, headers: [['content-type', 'application/json']], body: new TextEncoder().encode('{"id":7}') }
 */
export interface StoredResponse {
  /** HTTP status code. */
  readonly status: number
  /** Header name (lower case) and value pairs, in order; only allow-listed names are kept. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The body, byte for byte. */
  readonly body: Uint8Array
}

/**
 * Headers replayed by default: those that describe the stored body or the created resource.
 * Anything else (Set-Cookie above all, but also per-request ids, dates, rate-limit state) belongs
 * to the request that produced it and is not repeated.
 * @example satchel.idempotency({ replayHeaders: [...DEFAULT_REPLAY_HEADERS, 'x-report-id'] })
 */
export const DEFAULT_REPLAY_HEADERS: readonly string[] = [
  'content-type',
  'content-encoding',
  'content-language',
  'content-disposition',
  'content-location',
  'location',
  'etag',
  'last-modified',
  'link',
  'cache-control',
]

/**
 * Never stored, whatever `replayHeaders` says: cookies and credentials belong to one response,
 * and framing headers are recomputed for the replay.
 * @example NEVER_REPLAYED.has('set-cookie') // true
 */
export const NEVER_REPLAYED: ReadonlySet<string> = new Set([
  'set-cookie',
  'set-cookie2',
  'authorization',
  'proxy-authenticate',
  'www-authenticate',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
  'te',
])

/**
 * Statuses stored by default: everything below 500 except 408, 409, 425 and 429. Those four
 * (and every 5xx) say "this attempt did not take effect, try again", so the record is removed
 * and a retry with the same key runs the handler again. Other 4xx answers are deterministic for
 * the same payload (a 422 validation error stays a 422), so replaying them is what the IETF
 * draft asks: the client gets the answer the server gave.
 *
 * @example defaultStoreStatus(201) // true; defaultStoreStatus(429) // false
 */
export function defaultStoreStatus(status: number): boolean {
  return status < 500 && status !== 408 && status !== 409 && status !== 425 && status !== 429
}

/**
 * Keeps allow-listed headers (names lower-cased), in order.
 * @example filterHeaders(response.headers, new Set(['content-type']))
 */
export function filterHeaders(
  headers: Iterable<readonly [string, string]>,
  allowed: ReadonlySet<string>,
): [string, string][] {
  const out: [string, string][] = []
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    if (allowed.has(lower) && !NEVER_REPLAYED.has(lower)) out.push([lower, value])
  }
  return out
}

/**
 * Decodes the `headers` field of a record; malformed input yields no headers.
 * @example decodeHeaders('[["content-type","text/plain"]]') // [['content-type', 'text/plain']]
 */
export function decodeHeaders(text: string): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(text)
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (pair): pair is [string, string] =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === 'string' &&
        typeof pair[1] === 'string',
    )
  } catch {
    return []
  }
}
