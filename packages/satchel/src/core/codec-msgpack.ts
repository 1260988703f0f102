/**
 * MessagePack via `msgpackr`, the codec's default format.
 *
 * msgpackr already carries Date, BigInt, Map, Set, undefined, NaN/Infinity, RegExp and typed
 * arrays. What it does not do is refuse values it would silently mangle (a function becomes
 * `undefined`, a Promise becomes `{}`) or honour `toJSON`, so one validating walk runs first and
 * a copy is made only when some object has a `toJSON` method.
 *
 * Records (`useRecords`, on by default) write each object shape once per message and then only
 * the values, which is what makes arrays of same-shaped rows small and fast to decode. No shared
 * structures are configured, so every message is self-contained and any process can read it.
 *
 * @internal
 * @module
 */
/// <reference path="./msgpackr-no-eval.d.ts" />
import { Packr } from 'msgpackr'
// msgpackr's own build without `new Function` (published for CSP-restricted hosts); see
// `unpackValue` for why small payloads are read with it.
import { Unpackr as InterpretingUnpackr } from 'msgpackr/unpack-no-eval'
import {
  alwaysUnsupported,
  fail,
  hasToJSON,
  MAX_DEPTH,
  toEncodeError,
  tooDeep,
  within,
} from './codec-walk.js'

const OPTIONS = {
  moreTypes: true,
  // BigInt values come back as BigInt; JS numbers are written as floats or 32-bit ints, never
  // int64, so they still decode as numbers.
  int64AsType: 'bigint',
  useBigIntExtension: true,
} as const

const packr = new Packr(OPTIONS)
const interpreter = new InterpretingUnpackr(OPTIONS)

/**
 * Bodies below this many bytes are decoded by {@link interpreter}. msgpackr compiles a reader
 * (`new Function`) for a record shape seen more than twice in a message, and since no structures
 * are shared, it compiles again for every message: on a few rows the compilation costs more than
 * it saves (an 8-row, 190-byte value decodes in 1.5 µs instead of 3.2 µs), while from about
 * 1 KB (16 rows) up the compiled reader wins, 2.5× at 50 rows. Both read the same bytes.
 */
const COMPILE_FROM_BYTES = 1024

/** True for objects msgpackr writes as a value of their own type (and does not walk into). */
function isNativeLeaf(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer
  )
}

/**
 * Validates `value` and returns what to hand to msgpackr: `value` itself unless an object with
 * `toJSON` had to be replaced by its result.
 *
 * @throws EncodeError for functions, symbols, unsupported objects and nesting deeper than
 *   {@link MAX_DEPTH}.
 */
function prepare(value: unknown): unknown {
  try {
    return scan(value, 0) ? copy(value, 0) : value
  } catch (error) {
    throw toEncodeError(error)
  }
}

/** Encodes a value to MessagePack. @throws EncodeError */
export function packValue(value: unknown): Buffer {
  const prepared = prepare(value)
  try {
    return packr.pack(prepared)
  } catch (error) {
    throw toEncodeError(error)
  }
}

/**
 * Decodes the MessagePack in `buf` from `start` on.
 * @throws Error on malformed input; the codec turns it into a result.
 */
export function unpackValue(buf: Buffer, start = 0): unknown {
  // An offset rather than a `subarray`: one object less per read (msgpackr also hangs a
  // DataView on the buffer it is given).
  const bounds = { start, end: buf.length }
  return buf.length - start < COMPILE_FROM_BYTES
    ? interpreter.unpack(buf, bounds)
    : packr.unpack(buf, bounds)
}

/** Returns whether a copy is needed (some object has `toJSON`); throws on unsupported values. */
function scan(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return false
    case 'function':
      return fail('a function')
    case 'symbol':
      return fail('a symbol')
  }
  if (value === null) return false
  const obj = value as object
  if (isNativeLeaf(obj)) return false
  if (depth >= MAX_DEPTH) tooDeep()
  const next = depth + 1
  if (Array.isArray(obj)) {
    let needsCopy = false
    let i = 0
    try {
      for (; i < obj.length; i++) if (scan(obj[i], next)) needsCopy = true
    } catch (error) {
      throw within(error, i)
    }
    return needsCopy
  }
  if (obj instanceof Map) {
    let needsCopy = false
    let i = 0
    try {
      for (const [k, v] of obj) {
        if (scan(k, next)) needsCopy = true
        if (scan(v, next)) needsCopy = true
        i++
      }
    } catch (error) {
      throw within(error, `<Map entry ${i}>`)
    }
    return needsCopy
  }
  if (obj instanceof Set) {
    let needsCopy = false
    let i = 0
    try {
      for (const v of obj) {
        if (scan(v, next)) needsCopy = true
        i++
      }
    } catch (error) {
      throw within(error, `<Set item ${i}>`)
    }
    return needsCopy
  }
  const problem = alwaysUnsupported(obj)
  if (problem) fail(problem)
  if (hasToJSON(obj)) return true
  const record = obj as Record<string, unknown>
  let needsCopy = false
  let key = ''
  try {
    for (key of Object.keys(record)) if (scan(record[key], next)) needsCopy = true
  } catch (error) {
    throw within(error, key)
  }
  return needsCopy
}

/** Rebuilds `value` with every `toJSON` object replaced by its result (validated again). */
function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (isNativeLeaf(value)) return value
  if (depth >= MAX_DEPTH) tooDeep()
  const next = depth + 1
  if (Array.isArray(value)) return value.map((item) => copy(item, next))
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>()
    for (const [k, v] of value) out.set(copy(k, next), copy(v, next))
    return out
  }
  if (value instanceof Set) {
    const out = new Set<unknown>()
    for (const v of value) out.add(copy(v, next))
    return out
  }
  if (hasToJSON(value)) {
    // Same contract as JSON.stringify, so types like Decimal or Temporal keep their usual form.
    const replaced = value.toJSON('')
    scan(replaced, next)
    return copy(replaced, next)
  }
  const record = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    const v = copy(record[key], next)
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: v,
        writable: true,
        enumerable: true,
        configurable: true,
      })
    } else {
      out[key] = v
    }
  }
  return out
}
