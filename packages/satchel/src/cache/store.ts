/**
 * Writing entries: encoding an envelope (TTL, jitter, grace, size cap) and storing it in L1 and
 * L2, then telling other instances.
 *
 * @module
 */
import { EncodeError } from '../core/errors.js'
import { Entry, encodeEnvelope, jittered } from './entry.js'
import type { LoadTarget } from './validity.js'

/** What to store under one key. */
export interface StoreRequest {
  readonly full: string
  readonly value: unknown
  readonly o: { readonly ttlMs: number; readonly graceMs: number; readonly jitter: number }
  readonly createdAt: number
  readonly tags: readonly string[] | undefined
  /** The factory's `setTtl`, over `o.ttlMs`. */
  readonly ttlOverride?: number | undefined
  /** The factory's `setTtl(…, { grace })`, over `o.graceMs`. */
  readonly graceOverride?: number | undefined
  /** A `set` call: an unencodable value is the caller's bug and throws `EncodeError`. */
  readonly throwOnEncode?: boolean
}

/** An encoded entry, ready for L1 and L2. */
export interface PreparedEntry {
  readonly entry: Entry
  readonly buf: Buffer
  readonly pxMs: number
}

/** Encodes an entry; undefined when it must not be stored (too large, unencodable). */
export function prepareEntry(t: LoadTarget, req: StoreRequest): PreparedEntry | undefined {
  const { ctx } = t.core
  const { o } = req
  const fresh = jittered(req.ttlOverride ?? o.ttlMs, o.jitter)
  const graceMs = req.graceOverride ?? o.graceMs
  const freshUntil = Date.now() + fresh
  const times = { freshUntil, staleUntil: freshUntil + graceMs, createdAt: req.createdAt }
  let buf: Buffer
  try {
    buf = encodeEnvelope(ctx.codec, req.value, times, req.tags)
  } catch (error) {
    if (req.throwOnEncode === true || !(error instanceof EncodeError)) throw error
    ctx.logger.warn(
      { key: req.full, err: error.message },
      'cache: value cannot be encoded; not cached',
    )
    return undefined
  }
  if (buf.length > ctx.codec.maxValueBytes) {
    ctx.events.emit('value:too-large', {
      key: req.full,
      bytes: buf.length,
      limit: ctx.codec.maxValueBytes,
    })
    return undefined
  }
  const entry = new Entry(req.value, times, req.tags, buf.length)
  return { entry, buf, pxMs: fresh + graceMs }
}

/**
 * Writes an entry to L1 (when `l1`) and L2 and tells other instances (`set` call: L1 first, so
 * the writer reads its own write at once). Never throws a Redis error.
 */
export async function storeValue(t: LoadTarget, req: StoreRequest, l1: boolean): Promise<void> {
  const { core, counters: c } = t
  const prepared = prepareEntry(t, req)
  if (prepared === undefined) return
  const { entry, buf, pxMs } = prepared
  if (l1) core.l1.set(req.full, entry, c)
  else core.l1.delete(req.full)
  if (await core.l2.write({ key: req.full, buf, pxMs }, c)) {
    core.publish({ type: 'set', keys: [req.full] })
  }
}
