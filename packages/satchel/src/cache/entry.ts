/**
 * A cache entry and its L2 envelope.
 *
 * ## Wire format
 *
 * One Redis string per entry: the codec's encoding (header byte, MessagePack by default) of
 * `[ENVELOPE_VERSION, value, freshUntil, staleUntil, createdAt, tags?]`, times in epoch ms.
 * An array, not an object, so no field names travel with every value. `createdAt` is when the
 * factory *started* (when the data was read), so a load that straddles an `invalidateTags` is
 * already invalid when it lands. Anything else under the key (a foreign writer, an older
 * envelope version, a truncated value) decodes as a miss, never as an exception.
 *
 * @module
 */
import type { Codec } from '../core/codec.js'
import type { NamespaceCounters } from './stats.js'

/** Bumped when the envelope layout changes; readers treat other versions as misses. */
export const ENVELOPE_VERSION = 1

/** An entry's three instants, in epoch ms. */
export interface EntryTimes {
  /** Until when the value is fresh (jitter applied). */
  readonly freshUntil: number
  /** Until when it may be served stale; the L2 key expires then too. */
  readonly staleUntil: number
  /** When the data was read (lock time or factory start, or `set`). */
  readonly createdAt: number
}

/**
 * A decoded entry as L1 holds it: an L1 hit reads these fields and parses nothing.
 * A class so every entry shares one hidden class (monomorphic property reads on the hot path);
 * the times are copied onto the entry itself, so a hit reads one object.
 */
export class Entry implements EntryTimes {
  readonly freshUntil: number
  readonly staleUntil: number
  readonly createdAt: number

  constructor(
    readonly value: unknown,
    times: EntryTimes,
    readonly tags: readonly string[] | undefined,
    /** Encoded byte length (the L1 byte-cap accounting unit). */
    readonly size: number,
  ) {
    this.freshUntil = times.freshUntil
    this.staleUntil = times.staleUntil
    this.createdAt = times.createdAt
  }

  /** The namespace whose L1 accounting holds this entry; set when it enters L1. */
  owner: NamespaceCounters | undefined = undefined
}

/** Fresh TTL with jitter applied: uniform in `ttl·(1 ± jitter)`, at least 1 ms. */
export function jittered(ttlMs: number, jitter: number): number {
  if (jitter === 0) return ttlMs
  return Math.max(1, Math.round(ttlMs * (1 + jitter * (2 * Math.random() - 1))))
}

/** Encodes an entry's envelope; throws `EncodeError` for values the codec refuses. */
export function encodeEnvelope(
  codec: Codec,
  value: unknown,
  times: EntryTimes,
  tags: readonly string[] | undefined,
): Buffer {
  const { freshUntil, staleUntil, createdAt } = times
  const envelope =
    tags === undefined
      ? [ENVELOPE_VERSION, value, freshUntil, staleUntil, createdAt]
      : [ENVELOPE_VERSION, value, freshUntil, staleUntil, createdAt, tags]
  return codec.encode(envelope)
}

/** Decodes an L2 payload; `undefined` for anything that is not a valid envelope. */
export function decodeEnvelope(codec: Codec, buf: Buffer): Entry | undefined {
  const read = codec.decode<unknown>(buf)
  if (!read.ok) return undefined
  const e = read.value
  if (!Array.isArray(e) || e.length < 5 || e.length > 6 || e[0] !== ENVELOPE_VERSION) {
    return undefined
  }
  // Indexed reads, not destructuring: this runs on every L2 hit.
  const freshUntil: unknown = e[2]
  const staleUntil: unknown = e[3]
  const createdAt: unknown = e[4]
  const tags: unknown = e[5]
  if (
    typeof freshUntil !== 'number' ||
    typeof staleUntil !== 'number' ||
    typeof createdAt !== 'number'
  ) {
    return undefined
  }
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    return undefined
  }
  return new Entry(
    e[1],
    { freshUntil, staleUntil, createdAt },
    tags as string[] | undefined,
    buf.length,
  )
}
