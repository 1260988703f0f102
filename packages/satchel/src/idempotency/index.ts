/**
 * Idempotency keys (IETF draft-ietf-httpapi-idempotency-key-header), transport-independent.
 *
 * `begin()` claims a record for (endpoint, organisation, principal, key) and answers with a
 * result object: run the operation (`new`), replay a stored response (`replay`), or refuse
 * (`in-flight`, `mismatch`, `invalid-key`, `store-down`) or report a completed operation whose
 * response cannot be replayed (`not-replayable`); `bypass` means "run it, unrecorded" (flag off,
 * or Redis down with `onStoreDown: 'proceed'`). The HTTP middleware in
 * `satchel/http` maps these to 2xx/409/422/400/503; other transports (jobs, RPC) can use the
 * core directly.
 *
 * @example
 * ```ts
 * const idem = satchel.idempotency({ ttl: '24h', lease: '30s' })
 * const r = await idem.begin({ key, endpoint: 'approve-link', orgId, principal: userId, fingerprint })
 * if (r.kind === 'new') {
 *   try {
 *     const body = new TextEncoder().encode(JSON.stringify(await approve()))
 *     await r.complete({ status: 200, headers: [['content-type', 'application/json']], body })
 *   } catch (e) { await r.fail(); throw e }
 * } else if (r.kind === 'replay') send(r.response)
 * ```
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import type { RedisClient } from '../core/client-factory.js'
import type { SatchelContext } from '../core/context.js'
import { RedisCommandError, RedisUnavailableError, SatchelError } from '../core/errors.js'
import { evalScriptBuffer, evalScriptInOrder } from '../core/scripts.js'
import { invalidKeyReason, type RecordScope, recordKey } from './key.js'
import {
  type IdempotencyOptions,
  type ResolvedIdempotencyOptions,
  resolveIdempotencyOptions,
} from './options.js'
import { BEGIN, COMPLETE, EXTEND, RELEASE } from './scripts.js'
import { decodeHeaders, filterHeaders, type StoredResponse } from './stored-response.js'

export { canonicalJson } from './canonical-json.js'
export { type FingerprintInput, requestFingerprint } from './fingerprint.js'
export { invalidKeyReason, MAX_IDEMPOTENCY_KEY_LENGTH, type RecordScope } from './key.js'
export type { IdempotencyOptions, ResolvedIdempotencyOptions } from './options.js'
export { IDEMPOTENCY_SCRIPTS } from './scripts.js'
export {
  DEFAULT_REPLAY_HEADERS,
  defaultStoreStatus,
  NEVER_REPLAYED,
  type StoredResponse,
} from './stored-response.js'

/**
 * What `begin` needs: the record's scope plus the request fingerprint (see `requestFingerprint`).
 * @example { key: 'k-1', endpoint: 'POST /api/x', orgId: 'o1', principal: 'u7', fingerprint }
 */
export interface BeginRequest extends RecordScope {
  /** Hash of the request payload; a reused key with another fingerprint is a `mismatch`. */
  fingerprint: string
}

/**
 * A response handed to `complete`. `headers` may be a `Headers` object; only allow-listed
 * headers are stored.
 * @example { status: 201, headers: response.headers, body: new Uint8Array(await response.arrayBuffer()) }
 */
export interface ResponseToStore {
  status: number
  headers?: Iterable<readonly [string, string]>
  body?: Uint8Array | string
}

/**
 * Why a completed operation's response is not kept for replay: `too-large` (body over
 * `maxBodyBytes`) or `incomplete` (the response body was not delivered in full, e.g. the client
 * went away mid-stream).
 */
export type UnreplayableReason = 'too-large' | 'incomplete'

/**
 * Outcome of `complete`: stored, or why not.
 * @example const r = await record.complete(response); if (!r.stored) log.warn({ reason: r.reason })
 */
export type CompleteResult =
  | { stored: true }
  | {
      stored: false
      /**
       * `status`: not a stored status (5xx, 408, 409, 425, 429 by default), the record is removed
       * so a retry runs again; `too-large` / `incomplete` (see {@link UnreplayableReason}): the
       * record is kept as completed without a body, so a duplicate gets `not-replayable` and the
       * operation does not run twice; `lease-lost`: the lease expired and another request took
       * over; `store-down`: Redis did not answer.
       */
      reason: 'status' | UnreplayableReason | 'lease-lost' | 'store-down'
    }

/**
 * Outcome of `fail` and `extend`: `ok`, `lease-lost` (another request took the record over) or
 * `store-down`.
 * @example if ((await record.extend()) === 'lease-lost') abort()
 */
export type LeaseResult = 'ok' | 'lease-lost' | 'store-down'

/**
 * The caller owns a fresh pending record: run the operation, then `complete` or `fail`.
 * @example if (r.kind === 'new') { const res = await run(); await r.complete(res) }
 */
export interface NewRecord {
  readonly kind: 'new'
  /** True when a previous owner's lease had expired and this request took the record over. */
  readonly takenOver: boolean
  /**
   * Stores the response for replay. A status that is not stored removes the record; a body over
   * `maxBodyBytes` completes the record as `too-large` (no body kept).
   */
  complete(response: ResponseToStore): Promise<CompleteResult>
  /**
   * Completes the record without a body: the operation ran (answering `response.status`), but
   * its response cannot be replayed. Duplicates then get `not-replayable` instead of running the
   * operation again. For a streamed response once it passed `maxBodyBytes`, or was cut off.
   * A status that is not stored removes the record instead, as in `complete`.
   */
  completeUnreplayable(
    response: Omit<ResponseToStore, 'body'>,
    reason: UnreplayableReason,
  ): Promise<CompleteResult>
  /** Removes the record (only while it is still ours), so a retry runs the operation again. */
  fail(): Promise<LeaseResult>
  /** Renews the lease for another `lease`; for operations that may outrun it. */
  extend(): Promise<LeaseResult>
}

/**
 * The answer of `begin`.
 * - `new`: run the operation ({@link NewRecord}).
 * - `replay`: the operation completed before; `response` is what it answered.
 * - `in-flight`: another request with this key is running (HTTP 409); `retryAfterMs` is the time
 *   left on its lease.
 * - `mismatch`: the key was used with a different payload (HTTP 422).
 * - `not-replayable`: the operation completed with `status`, but its response was not kept
 *   (`reason`: `too-large` or `incomplete`); `headers` are the allow-listed ones it sent.
 * - `invalid-key`: the key is empty, longer than 255 or not printable ASCII (HTTP 400).
 * - `bypass`: run the operation without a record: `flag-off` (the `idempotency` flag is
 *   disabled) or `store-down` with `onStoreDown: 'proceed'`.
 * - `store-down`: Redis did not answer and `onStoreDown` is `'reject'` (HTTP 503).
 *
 * @example
 * ```ts
 * switch (result.kind) {
 *   case 'replay': return replayResponse(result.response)
 *   case 'in-flight': return conflict()
 * }
 * ```
 */
export type BeginResult =
  | NewRecord
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-flight'; readonly retryAfterMs: number }
  | { readonly kind: 'mismatch' }
  | {
      readonly kind: 'not-replayable'
      readonly status: number
      readonly headers: ReadonlyArray<readonly [string, string]>
      readonly reason: UnreplayableReason
    }
  | { readonly kind: 'invalid-key'; readonly detail: string }
  | {
      readonly kind: 'bypass'
      readonly reason: 'flag-off' | 'store-down'
      readonly error?: SatchelError
    }
  | { readonly kind: 'store-down'; readonly error: SatchelError }

/**
 * Idempotency records for one policy (TTL, lease, store-down behaviour).
 * @example const idem = satchel.idempotency({ onStoreDown: 'reject' })
 */
export interface Idempotency {
  /**
   * Claims or looks up the record for `request`. Never throws for Redis trouble (that is
   * `bypass` or `store-down`); throws `InvalidKeyError` for an empty endpoint or principal, or
   * a blank organisation id (programming errors).
   * @example const r = await idem.begin({ key, endpoint, orgId, principal, fingerprint })
   */
  begin(request: BeginRequest): Promise<BeginResult>
  /** The resolved options (durations in ms). */
  readonly options: Readonly<ResolvedIdempotencyOptions>
}

/**
 * Creates an {@link Idempotency}; `satchel.idempotency(options)` calls this.
 * @throws InvalidOptionError for invalid options.
 * @example const idem = createIdempotency(ctx, { ttl: '1h' })
 */
export function createIdempotency(ctx: SatchelContext, options: IdempotencyOptions): Idempotency {
  const o = resolveIdempotencyOptions(options)
  // The pending key outlives its lease by one lease, so an expired owner is seen and taken over
  // (and reported as such) rather than silently forgotten.
  const pendingTtlMs = o.leaseMs * 2

  function storeDown(endpoint: string, error: SatchelError): BeginResult {
    const result: BeginResult =
      o.onStoreDown === 'reject'
        ? { kind: 'store-down', error }
        : { kind: 'bypass', reason: 'store-down', error }
    emit(endpoint, result.kind, error.code)
    return result
  }

  function emit(endpoint: string, outcome: string, reason?: string): void {
    ctx.events.emit('idempotency:outcome', { endpoint, outcome, reason })
  }

  function owned(endpoint: string, key: string, token: string, takenOver: boolean): NewRecord {
    // Redis trouble is an answer here (`store-down`), not an exception.
    const run = async (
      operation: string,
      fn: (client: RedisClient) => Promise<unknown>,
    ): Promise<unknown> => {
      try {
        return await ctx.gateway.exec(operation, fn)
      } catch (error) {
        if (error instanceof SatchelError) return error
        throw error
      }
    }
    const release = async (): Promise<LeaseResult> => {
      const r = await run('idempotency.release', (c) =>
        evalScriptBuffer(c, RELEASE, [key], [token]),
      )
      return r instanceof SatchelError ? 'store-down' : r === 1 ? 'ok' : 'lease-lost'
    }
    const notStored = async (
      reason: 'status' | 'too-large',
      status: number,
    ): Promise<CompleteResult> => {
      ctx.events.emit('idempotency:not-stored', { endpoint, status, reason })
      const released = await release()
      return { stored: false, reason: released === 'ok' ? reason : released }
    }
    const store = async (
      response: Omit<ResponseToStore, 'body'>,
      body: Buffer,
      unreplayable: UnreplayableReason | '',
    ): Promise<CompleteResult> => {
      const headers = JSON.stringify(filterHeaders(response.headers ?? [], o.replayHeaders))
      const r = await run('idempotency.complete', (c) =>
        evalScriptBuffer(
          c,
          COMPLETE,
          [key],
          [token, o.ttlMs, response.status, headers, body, unreplayable],
        ),
      )
      if (r === 1 && unreplayable === '') return { stored: true }
      const reason =
        r === 1 ? unreplayable || 'status' : r instanceof SatchelError ? 'store-down' : 'lease-lost'
      ctx.events.emit('idempotency:not-stored', { endpoint, status: response.status, reason })
      return { stored: false, reason }
    }
    return {
      kind: 'new',
      takenOver,
      async complete(response) {
        if (!o.storeStatus(response.status)) return notStored('status', response.status)
        const body =
          typeof response.body === 'string'
            ? Buffer.from(response.body)
            : response.body instanceof Uint8Array
              ? Buffer.from(response.body.buffer, response.body.byteOffset, response.body.length)
              : Buffer.alloc(0)
        if (body.length > o.maxBodyBytes) return store(response, Buffer.alloc(0), 'too-large')
        return store(response, body, '')
      },
      async completeUnreplayable(response, reason) {
        if (!o.storeStatus(response.status)) return notStored('status', response.status)
        return store(response, Buffer.alloc(0), reason)
      },
      fail: release,
      async extend() {
        const r = await run('idempotency.extend', (c) =>
          evalScriptBuffer(c, EXTEND, [key], [token, o.leaseMs, pendingTtlMs]),
        )
        return r instanceof SatchelError ? 'store-down' : r === 1 ? 'ok' : 'lease-lost'
      },
    }
  }

  async function begin(request: BeginRequest): Promise<BeginResult> {
    const { endpoint } = request
    if (!ctx.flags.enabled('idempotency')) {
      emit(endpoint, 'bypass', 'flag-off')
      return { kind: 'bypass', reason: 'flag-off' }
    }
    const detail = invalidKeyReason(request.key)
    if (detail !== undefined) {
      emit(endpoint, 'invalid-key')
      return { kind: 'invalid-key', detail }
    }
    const key = recordKey(ctx.keys, request)
    const token = randomBytes(16).toString('base64url')
    let reply: unknown
    try {
      reply = await ctx.gateway.exec('idempotency.begin', (c) =>
        evalScriptBuffer(c, BEGIN, [key], [token, request.fingerprint, o.leaseMs, pendingTtlMs]),
      )
    } catch (error) {
      if (error instanceof RedisUnavailableError && error.reason === 'timeout') {
        releaseOrphan(key, token)
      }
      if (error instanceof SatchelError) return storeDown(endpoint, error)
      throw error
    }
    const kind = Array.isArray(reply) ? text(reply[0]) : ''
    if (kind === 'new' || kind === 'taken-over') {
      emit(endpoint, kind)
      return owned(endpoint, key, token, kind === 'taken-over')
    }
    const result = parseLookup(reply)
    if (result === undefined) {
      // Not a record this module wrote: the store is unusable for this key.
      const error = new RedisCommandError('idempotency.begin', {
        cause: new Error(`malformed idempotency record at ${key}`),
      })
      return storeDown(endpoint, error)
    }
    emit(endpoint, result.kind)
    return result
  }

  /**
   * A begin whose answer timed out was still written to the socket: a paused or slow server runs
   * it later and leaves a pending record that no request owns, so the client's retry would be
   * refused (409) until the lease ran out, and then run the operation again. A release with the
   * same token, sent on the same connection without waiting (one EVAL, so no NOSCRIPT round trip
   * can put it behind later commands), runs right after it and removes
   * exactly that record (it compares the token), as the lock module does for an acquire. If the
   * connection is gone it fails at once, and the begin never ran either.
   */
  function releaseOrphan(key: string, token: string): void {
    const client = ctx.gateway.client
    if (!client || ctx.gateway.closed) return
    evalScriptInOrder(client, RELEASE, [key], [token]).catch(() => {})
  }

  return { begin, options: o }
}

function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
}

/** The begin script's answers other than `new` / `taken-over`; undefined when malformed. */
function parseLookup(reply: unknown): BeginResult | undefined {
  if (!Array.isArray(reply)) return undefined
  switch (text(reply[0])) {
    case 'mismatch':
      return { kind: 'mismatch' }
    case 'in-flight':
      return { kind: 'in-flight', retryAfterMs: Math.max(0, Number(reply[1])) }
    case 'done': {
      const status = Number(text(reply[1]))
      if (!Number.isInteger(status) || status < 200 || status > 599) return undefined
      const unreplayable = reply[4] == null ? '' : text(reply[4])
      if (unreplayable === 'too-large' || unreplayable === 'incomplete') {
        const headers = decodeHeaders(text(reply[2]))
        return { kind: 'not-replayable', status, headers, reason: unreplayable }
      }
      if (unreplayable !== '') return undefined
      const body = Buffer.isBuffer(reply[3]) ? reply[3] : Buffer.alloc(0)
      return {
        kind: 'replay',
        response: { status, headers: decodeHeaders(text(reply[2])), body: new Uint8Array(body) },
      }
    }
  }
  return undefined
}
