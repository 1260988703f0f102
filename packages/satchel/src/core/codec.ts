/**
 * The value codec: what satchel writes to Redis and reads back.
 *
 * ## Wire format
 *
 * One header byte, then the payload:
 *
 * ```
 * bit  7 6 | 5 4     | 3 2    | 1 0
 *      1 0 | version | format | compression
 * ```
 *
 * - `10` marks a satchel value. Bytes `0x80`–`0xBF` never start UTF-8 text, so a string some
 *   other writer left under the key (JSON, a number, a legacy blob) is always recognised as
 *   foreign and reported as `{ ok: false }`, never misread.
 * - version `00` is this layout; a reader rejects versions it does not know, so the layout can
 *   change during a rolling deploy without old pods misreading new values.
 * - format `00` MessagePack (msgpackr, see `codec-msgpack.ts`), `01` plain JSON, `10` tagged
 *   JSON (see `codec-tagged-json.ts`); `11` reserved. Every reader decodes every format.
 * - compression `00` none, `01` gzip, `10` brotli; `11` reserved.
 *
 * There is no checksum: Redis stores values atomically, and every format detects truncation
 * except a bare top-level number cut short (`1234` → `123` in JSON).
 *
 * ## Why MessagePack
 *
 * `bench/codec.ts`, Node 20.20 on a 2-vCPU AMD EPYC VM; ops/s, higher is better; bytes include
 * the header. "tagged json" is the JSON format with its fast path (a payload without special
 * values is plain `JSON.stringify`/`JSON.parse`, no reviver); "replacer/reviver" is the textbook
 * JSON approach, for scale.
 *
 * ```
 * payload                          format            bytes    encode    decode
 * small object                     tagged json         171     942 k   1,598 k
 *                                  msgpackr            142     997 k   1,014 k
 *                                  replacer/reviver    171     651 k     440 k
 * api page, 50 rows                tagged json       5,886    46.6 k    72.7 k
 *                                  msgpackr          3,307    66.5 k     142 k
 *                                  replacer/reviver  5,886    34.7 k    18.9 k
 * course bundle, 1,536 resources   tagged json     450,705       641       758
 *                                  msgpackr        200,320       762     2,748
 *                                  replacer/reviver 450,705      494       238
 * Date/Map/Set/BigInt              tagged json       1,068     111 k     133 k
 *                                  msgpackr            541     205 k     184 k
 *                                  replacer/reviver  1,068    47.5 k    37.3 k
 * ```
 *
 * Reads dominate, and MessagePack decodes 2× (5 KB) to 3.6× (450 KB) faster than JSON with
 * 44–56% fewer bytes, because records write each object shape once per message (without
 * records msgpackr is no faster than JSON and the bundle is 381 KB). JSON wins only on tiny
 * values, by ~0.4 µs per read, which a Redis round trip dwarfs. The JSON format stays available
 * (`format: 'json'`) for values that other languages or `redis-cli` must read.
 *
 * Compression of the bundle's 200 KB MessagePack body: brotli quality 4 → 77 KB (396 compress,
 * 2,393 decompress ops/s); gzip level 1 → 83 KB (558 / 2,428); brotli 1 → 84 KB (1,407 / 1,977).
 * With the default (brotli 4 above 16 KiB) a bundle read decodes at 1,205 ops/s instead of
 * 2,694: ~0.45 ms more CPU per read for 61% less egress and Redis memory.
 *
 * ## Values (MessagePack, the default)
 *
 * Round-trips: JSON values, `undefined` (anywhere, including object properties), `NaN`,
 * `Infinity`, `-Infinity`, `Date` (including invalid dates), `BigInt`, `Map` and `Set`
 * (nested, any key types), `RegExp`, typed arrays, `ArrayBuffer`, `DataView` and `Buffer`.
 *
 * Changed on the way: `-0` becomes `0`; a lone surrogate in a string comes back as U+FFFD
 * replacement characters (as through any UTF-8 encoding); an object key `__proto__` comes back
 * as `__proto_` (msgpackr's guard against prototype pollution); class instances become plain
 * objects of their own enumerable string-keyed properties (prototype, getters, symbol keys and
 * identity are lost); an object with a `toJSON()` method is stored as its result, as
 * `JSON.stringify` would; shared references are duplicated.
 *
 * The JSON format differs: it keeps `-0`, lone surrogates and `__proto__`; it drops object
 * properties whose value is `undefined` (as `JSON.stringify` does); of the binary types it keeps
 * only `Uint8Array`/`Buffer` (decoded as `Buffer`) and refuses `RegExp`.
 *
 * Refused with `EncodeError` by both: functions, symbols, Promises (an un-awaited call is the
 * usual cause), WeakMap/WeakSet/WeakRef, Error, SharedArrayBuffer, and values nested deeper
 * than 1000 levels (which includes cycles).
 *
 * @module
 */
import {
  brotliCompressSync,
  brotliDecompressSync,
  gunzipSync,
  gzipSync,
  constants as zlib,
} from 'node:zlib'
import { packValue, unpackValue } from './codec-msgpack.js'
import { fromTagged, scanForTags, toTagged } from './codec-tagged-json.js'
import { toEncodeError } from './codec-walk.js'
import { InvalidOptionError } from './errors.js'

/**
 * A compression algorithm for large values.
 * @example createCodec({ compression: { threshold: 8192, algorithm: 'gzip' } })
 */
export type CompressionAlgorithm = 'brotli' | 'gzip'

/**
 * When and how to compress encoded values.
 * @example const fast: CompressionOptions = { threshold: 16_384, algorithm: 'gzip', level: 1 }
 */
export interface CompressionOptions {
  /**
   * Compress when the encoded payload is larger than this many bytes. Below a few KB the CPU
   * costs more than the bytes saved.
   * @default 16384
   */
  threshold: number
  /**
   * Brotli at quality 4 writes ~7% fewer bytes than gzip level 1 on MessagePack bodies and
   * inflates as fast; gzip compresses ~35% faster (see `bench/codec.ts`).
   * @default 'brotli'
   */
  algorithm?: CompressionAlgorithm
  /**
   * Compression level: gzip 1–9, brotli quality 0–11. Lower is faster.
   * @default 4 for brotli, 1 for gzip
   */
  level?: number
}

/** A value format. @example createCodec({ format: 'json' }) // readable with redis-cli */
export type CodecFormat = 'msgpack' | 'json'

/**
 * Options for {@link createCodec}.
 * @example createCodec({ maxValueBytes: 1_048_576, compression: false })
 */
export interface CodecOptions {
  /**
   * How values are written. `'msgpack'` is smaller and decodes faster on anything but tiny
   * values; `'json'` is readable in `redis-cli` and by other languages. Decoding reads both, so
   * this can be changed on a live system.
   * @default 'msgpack'
   */
  format?: CodecFormat
  /**
   * Compress values above a size threshold, or `false` to never compress. Decoding always
   * understands every algorithm, so this can be changed on a live system.
   * @default { threshold: 16384, algorithm: 'brotli', level: 4 }
   */
  compression?: CompressionOptions | false
  /**
   * Largest encoded value (after compression) that {@link Codec.encodeBounded} accepts and that
   * callers should store. Big values block Redis's single thread and cost egress on every read;
   * `Infinity` disables the guard.
   * @default 8388608 (8 MiB)
   */
  maxValueBytes?: number
  /**
   * Largest payload a compressed value may inflate to when decoding, so a corrupt or hostile
   * value cannot exhaust memory.
   * @default 134217728 (128 MiB)
   */
  maxDecodedBytes?: number
}

/**
 * Why a payload could not be decoded.
 * @example if (!read.ok && read.reason === 'unknown-format') log.warn('foreign value')
 */
export type DecodeFailure =
  /** Zero bytes. */
  | 'empty'
  /** Not a satchel header, or a version, format or compression this reader does not know. */
  | 'unknown-format'
  /** The header is fine but the payload is not (truncated, garbage, bad tag). */
  | 'corrupt'
  /** The payload inflates beyond `maxDecodedBytes`. */
  | 'too-large'

/**
 * The outcome of {@link Codec.decode}: a malformed payload is a result, never an exception.
 * @example
 * ```ts
 * const read = codec.decode(buf)
 * if (!read.ok) events.emit('value:malformed', { key, bytes: buf.length, error: read.error })
 * ```
 */
export type DecodeResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; reason: DecodeFailure; error: Error }

/**
 * The outcome of {@link Codec.encodeBounded}.
 * @example
 * ```ts
 * const out = codec.encodeBounded(value)
 * if (!out.ok) events.emit('value:too-large', { key, bytes: out.bytes, limit: out.limit })
 * else await redis.set(key, out.buf, 'PX', ttlMs)
 * ```
 */
export type BoundedEncodeResult =
  | { ok: true; buf: Buffer }
  | { ok: false; reason: 'too-large'; bytes: number; limit: number }

/**
 * Encodes values for Redis and decodes them back.
 * @example
 * ```ts
 * const codec = createCodec()
 * const read = codec.decode<Bundle>(codec.encode(bundle))
 * ```
 */
export interface Codec {
  /**
   * Encodes a value. Does not apply `maxValueBytes`: compare `buf.length` with
   * {@link Codec.maxValueBytes} or use {@link Codec.encodeBounded}.
   * @throws EncodeError when the value contains something that cannot be stored.
   */
  encode(value: unknown): Buffer
  /**
   * Encodes a value and refuses it when it exceeds `maxValueBytes`, so the caller can skip the
   * write (and emit `value:too-large`) instead of storing an oversized value.
   * @throws EncodeError as {@link Codec.encode} does.
   */
  encodeBounded(value: unknown): BoundedEncodeResult
  /** Decodes a payload read from Redis. Never throws. */
  decode<T = unknown>(buf: Uint8Array): DecodeResult<T>
  /** The resolved `maxValueBytes` (`Infinity` when disabled). */
  readonly maxValueBytes: number
}

const MARKER = 0b1000_0000
const MARKER_MASK = 0b1100_0000
const VERSION_MASK = 0b0011_0000
const VERSION_1 = 0b0000_0000
const FORMAT_MASK = 0b0000_1100
const FORMAT_MSGPACK = 0b0000_0000
const FORMAT_JSON = 0b0000_0100
const FORMAT_TAGGED = 0b0000_1000
const COMPRESSION_MASK = 0b0000_0011
const COMPRESSION_NONE = 0b00
const COMPRESSION_GZIP = 0b01
const COMPRESSION_BROTLI = 0b10

/**
 * Header bit values, for tests and tools that inspect stored values.
 * @internal
 * @example (buf[0] & 0b11) === HEADER.COMPRESSION_BROTLI
 */
export const HEADER = {
  MARKER,
  FORMAT_MSGPACK,
  FORMAT_JSON,
  FORMAT_TAGGED,
  COMPRESSION_NONE,
  COMPRESSION_GZIP,
  COMPRESSION_BROTLI,
} as const

const DEFAULTS = {
  threshold: 16_384,
  algorithm: 'brotli' as CompressionAlgorithm,
  gzipLevel: 1,
  brotliQuality: 4,
  maxValueBytes: 8 * 1024 * 1024,
  maxDecodedBytes: 128 * 1024 * 1024,
}

interface ResolvedCompression {
  threshold: number
  bits: number
  compress(body: Buffer): Buffer
}

function resolveCompression(
  option: CompressionOptions | false | undefined,
): ResolvedCompression | undefined {
  if (option === false) return undefined
  const threshold = option?.threshold ?? DEFAULTS.threshold
  if (typeof threshold !== 'number' || !(threshold >= 0)) {
    throw new InvalidOptionError(
      'codec.compression.threshold',
      `expected a non-negative number of bytes, got ${String(threshold)}`,
    )
  }
  const algorithm = option?.algorithm ?? DEFAULTS.algorithm
  if (algorithm === 'gzip') {
    const level = checkLevel(option?.level ?? DEFAULTS.gzipLevel, 1, 9)
    return { threshold, bits: COMPRESSION_GZIP, compress: (body) => gzipSync(body, { level }) }
  }
  if (algorithm === 'brotli') {
    const quality = checkLevel(option?.level ?? DEFAULTS.brotliQuality, 0, 11)
    return {
      threshold,
      bits: COMPRESSION_BROTLI,
      compress: (body) =>
        brotliCompressSync(body, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: quality,
            [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
            [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
          },
        }),
    }
  }
  throw new InvalidOptionError(
    'codec.compression.algorithm',
    `expected 'brotli' or 'gzip', got ${JSON.stringify(algorithm)}`,
  )
}

function checkLevel(level: number, min: number, max: number): number {
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new InvalidOptionError(
      'codec.compression.level',
      `expected an integer from ${min} to ${max}, got ${String(level)}`,
    )
  }
  return level
}

function checkPositive(field: string, value: number, allowInfinity: boolean): number {
  const ok = allowInfinity ? value > 0 : Number.isFinite(value) && value > 0
  if (typeof value !== 'number' || !ok) {
    throw new InvalidOptionError(field, `expected a positive number of bytes, got ${String(value)}`)
  }
  return value
}

function failure(reason: DecodeFailure, message: string, cause?: unknown): DecodeResult<never> {
  return {
    ok: false,
    reason,
    error: new Error(message, cause === undefined ? undefined : { cause }),
  }
}

function isZlibSizeError(error: unknown): boolean {
  return (
    error instanceof RangeError ||
    (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE'
  )
}

/**
 * Creates a codec. Options are validated once, here.
 *
 * @throws InvalidOptionError naming the offending `codec.*` field.
 * @example
 * ```ts
 * const codec = createCodec({ compression: { threshold: 16_384, algorithm: 'brotli' } })
 * const buf = codec.encode({ at: new Date(), ids: new Set([1, 2]) })
 * const read = codec.decode(buf)
 * if (read.ok) use(read.value)
 * else log.warn({ reason: read.reason }, 'malformed cache value')
 * ```
 */
export function createCodec(options: CodecOptions = {}): Codec {
  const compression = resolveCompression(options.compression)
  const maxValueBytes = checkPositive(
    'codec.maxValueBytes',
    options.maxValueBytes ?? DEFAULTS.maxValueBytes,
    true,
  )
  const maxOutputLength = checkPositive(
    'codec.maxDecodedBytes',
    options.maxDecodedBytes ?? DEFAULTS.maxDecodedBytes,
    false,
  )

  const format = options.format ?? 'msgpack'
  if (format !== 'msgpack' && format !== 'json') {
    throw new InvalidOptionError(
      'codec.format',
      `expected 'msgpack' or 'json', got ${JSON.stringify(format)}`,
    )
  }

  function frame(formatBits: number, body: Buffer | string): Buffer {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length
    if (compression && size > compression.threshold) {
      const packed = compression.compress(typeof body === 'string' ? Buffer.from(body) : body)
      // Incompressible data (already-compressed bytes, random ids) is stored as is.
      if (packed.length < size) {
        const out = Buffer.allocUnsafe(1 + packed.length)
        out[0] = MARKER | VERSION_1 | formatBits | compression.bits
        packed.copy(out, 1)
        return out
      }
    }
    const out = Buffer.allocUnsafe(1 + size)
    out[0] = MARKER | VERSION_1 | formatBits | COMPRESSION_NONE
    if (typeof body === 'string') out.write(body, 1)
    else body.copy(out, 1)
    return out
  }

  function encodeJson(value: unknown): Buffer {
    let text: string
    let formatBits: number
    try {
      if (scanForTags(value)) {
        text = JSON.stringify(toTagged(value))
        formatBits = FORMAT_TAGGED
      } else {
        text = JSON.stringify(value)
        formatBits = FORMAT_JSON
      }
    } catch (error) {
      throw toEncodeError(error)
    }
    return frame(formatBits, text)
  }

  const encode =
    format === 'json'
      ? encodeJson
      : (value: unknown): Buffer => frame(FORMAT_MSGPACK, packValue(value))

  function decode<T>(input: Uint8Array): DecodeResult<T> {
    if (!(input instanceof Uint8Array)) {
      return failure('unknown-format', 'Expected a Buffer from Redis (use getBuffer, not get)')
    }
    if (input.length === 0) return failure('empty', 'Empty payload')
    const buf = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
    const header = buf[0]!
    if ((header & MARKER_MASK) !== MARKER || (header & VERSION_MASK) !== VERSION_1) {
      return failure('unknown-format', `Not a satchel value (header 0x${header.toString(16)})`)
    }
    const formatBits = header & FORMAT_MASK
    if (
      formatBits !== FORMAT_MSGPACK &&
      formatBits !== FORMAT_JSON &&
      formatBits !== FORMAT_TAGGED
    ) {
      return failure('unknown-format', `Unknown value format (header 0x${header.toString(16)})`)
    }
    let body: Buffer
    // Where the body starts in `body`: past the header when it is read in place.
    let start = 0
    const algorithm = header & COMPRESSION_MASK
    if (algorithm === COMPRESSION_NONE) {
      body = buf
      start = 1
    } else if (algorithm === COMPRESSION_GZIP || algorithm === COMPRESSION_BROTLI) {
      try {
        body =
          algorithm === COMPRESSION_GZIP
            ? gunzipSync(buf.subarray(1), { maxOutputLength })
            : brotliDecompressSync(buf.subarray(1), { maxOutputLength })
      } catch (error) {
        if (isZlibSizeError(error)) {
          return failure('too-large', `Payload inflates beyond ${maxOutputLength} bytes`, error)
        }
        return failure('corrupt', 'Compressed payload is corrupt', error)
      }
    } else {
      return failure('unknown-format', `Unknown compression (header 0x${header.toString(16)})`)
    }
    try {
      if (formatBits === FORMAT_MSGPACK) return { ok: true, value: unpackValue(body, start) as T }
      const tree: unknown = JSON.parse(body.toString('utf8', start))
      return { ok: true, value: (formatBits === FORMAT_TAGGED ? fromTagged(tree) : tree) as T }
    } catch (error) {
      return failure('corrupt', 'Payload does not decode', error)
    }
  }

  return {
    encode,
    encodeBounded(value) {
      const buf = encode(value)
      if (buf.length > maxValueBytes) {
        return { ok: false, reason: 'too-large', bytes: buf.length, limit: maxValueBytes }
      }
      return { ok: true, buf }
    },
    decode,
    maxValueBytes,
  }
}
