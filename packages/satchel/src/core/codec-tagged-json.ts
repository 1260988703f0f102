/**
 * Tagged JSON: JSON text that also carries the JavaScript values plain JSON loses.
 *
 * A special value is written as an object whose reserved key `$t` names its type:
 *
 * | value | written as |
 * |---|---|
 * | `Date` | `{"$t":"D","v":<epoch ms or null when invalid>}` |
 * | `BigInt` | `{"$t":"B","v":"<decimal>"}` |
 * | `Map` | `{"$t":"M","v":[[key, value], ...]}` |
 * | `Set` | `{"$t":"S","v":[value, ...]}` |
 * | `Uint8Array` / `Buffer` | `{"$t":"X","v":"<base64>"}` (decoded as a `Buffer`) |
 * | `undefined` (top level, array slot, Map/Set entry) | `{"$t":"U"}` |
 * | `NaN`, `Infinity`, `-Infinity`, `-0` | `{"$t":"N","v":"NaN"}` etc. |
 * | an object that has its own `$t` key | `{"$t":"O","v":[[key, value], ...]}` |
 *
 * The last row is the escape: a user object with a `$t` key is never written with that key in
 * object position, so every `$t` object in a tagged payload is ours and user data that merely
 * looks like a tag round-trips unchanged.
 *
 * {@link scanForTags} lets the caller skip all of this for the common case (no special value
 * anywhere): then the text is exactly `JSON.stringify(value)` and decoding is a bare
 * `JSON.parse`, which is where V8 is fastest.
 *
 * @internal
 * @module
 */
import {
  alwaysUnsupported,
  fail,
  hasToJSON,
  MAX_DEPTH,
  toEncodeError,
  tooDeep,
  within,
} from './codec-walk.js'

/** The reserved key that marks a tagged value. */
export const TAG_KEY = '$t'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const hasOwn = Object.hasOwn

/** Adds the built-ins JSON cannot carry to the ones no format carries. */
function unsupportedObject(value: object): string | undefined {
  const problem = alwaysUnsupported(value)
  if (problem) return problem
  if (value instanceof RegExp) return 'a RegExp (the json format does not store it)'
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} (the json format stores only Uint8Array)`
  }
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer (the json format stores only Uint8Array)'
  return undefined
}

function isSpecialNumber(n: number): boolean {
  return !Number.isFinite(n) || (n === 0 && 1 / n < 0)
}

/**
 * Walks `value` once and reports whether it needs the tagged form.
 *
 * @throws EncodeError for functions, symbols, unsupported built-ins, or nesting deeper than
 *   {@link MAX_DEPTH} (which includes cycles).
 */
export function scanForTags(value: unknown): boolean {
  try {
    return scan(value, 0, true)
  } catch (error) {
    throw toEncodeError(error)
  }
}

function scan(value: unknown, depth: number, inSlot: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return false
    case 'number':
      return isSpecialNumber(value)
    case 'undefined':
      // An undefined property is dropped (as JSON does); an undefined slot must be kept.
      return inSlot
    case 'bigint':
      return true
    case 'function':
      return fail('a function')
    case 'symbol':
      return fail('a symbol')
  }
  if (value === null) return false
  if (depth >= MAX_DEPTH) tooDeep()
  const next = depth + 1
  if (Array.isArray(value)) {
    let tagged = false
    let i = 0
    try {
      for (; i < value.length; i++) if (scan(value[i], next, true)) tagged = true
    } catch (error) {
      throw within(error, i)
    }
    return tagged
  }
  const obj = value as object
  if (
    obj instanceof Date ||
    obj instanceof Map ||
    obj instanceof Set ||
    obj instanceof Uint8Array ||
    hasToJSON(obj)
  ) {
    // These are rebuilt by the tagging pass, which validates their contents itself.
    return true
  }
  const problem = unsupportedObject(obj)
  if (problem) fail(problem)
  const record = obj as Record<string, unknown>
  let tagged = hasOwn(record, TAG_KEY)
  let key = ''
  try {
    for (key of Object.keys(record)) if (scan(record[key], next, false)) tagged = true
  } catch (error) {
    throw within(error, key)
  }
  return tagged
}

/**
 * Converts `value` to a JSON-safe tree with special values tagged. Call only when
 * {@link scanForTags} returned true.
 *
 * @throws EncodeError as {@link scanForTags} does.
 */
export function toTagged(value: unknown): Json {
  try {
    return tag(value, 0, true) as Json
  } catch (error) {
    throw toEncodeError(error)
  }
}

const UNDEFINED_TAG = { [TAG_KEY]: 'U' }

function tag(value: unknown, depth: number, inSlot: boolean): Json | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!isSpecialNumber(value)) return value
      return { [TAG_KEY]: 'N', v: Object.is(value, -0) ? '-0' : String(value) }
    case 'undefined':
      return inSlot ? UNDEFINED_TAG : undefined
    case 'bigint':
      return { [TAG_KEY]: 'B', v: value.toString() }
    case 'function':
      return fail('a function')
    case 'symbol':
      return fail('a symbol')
  }
  if (value === null) return null
  if (depth >= MAX_DEPTH) tooDeep()
  const next = depth + 1
  if (Array.isArray(value)) {
    const out: Json[] = new Array(value.length)
    let i = 0
    try {
      for (; i < value.length; i++) out[i] = tag(value[i], next, true) as Json
    } catch (error) {
      throw within(error, i)
    }
    return out
  }
  if (value instanceof Date) {
    const ms = value.getTime()
    return { [TAG_KEY]: 'D', v: Number.isNaN(ms) ? null : ms }
  }
  if (value instanceof Map) {
    const entries: Json[] = []
    try {
      for (const [k, v] of value) {
        entries.push([tag(k, next, true) as Json, tag(v, next, true) as Json])
      }
    } catch (error) {
      throw within(error, `<Map entry ${entries.length}>`)
    }
    return { [TAG_KEY]: 'M', v: entries }
  }
  if (value instanceof Set) {
    const items: Json[] = []
    try {
      for (const v of value) items.push(tag(v, next, true) as Json)
    } catch (error) {
      throw within(error, `<Set item ${items.length}>`)
    }
    return { [TAG_KEY]: 'S', v: items }
  }
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    return { [TAG_KEY]: 'X', v: bytes.toString('base64') }
  }
  const obj = value as Record<string, unknown>
  if (hasToJSON(obj)) {
    // Same contract as JSON.stringify, so types like Decimal or Temporal keep their usual form.
    return tag(obj.toJSON(''), next, inSlot)
  }
  const problem = unsupportedObject(obj)
  if (problem) fail(problem)
  let key = ''
  try {
    if (hasOwn(obj, TAG_KEY)) {
      const entries: Json[] = []
      for (key of Object.keys(obj)) {
        const v = tag(obj[key], next, false)
        if (v !== undefined) entries.push([key, v])
      }
      return { [TAG_KEY]: 'O', v: entries }
    }
    // A null prototype so a "__proto__" key is stored as data, not as a prototype change.
    const out: { [key: string]: Json } = Object.create(null)
    for (key of Object.keys(obj)) {
      const v = tag(obj[key], next, false)
      if (v !== undefined) out[key] = v
    }
    return out
  } catch (error) {
    throw within(error, key)
  }
}

class MalformedTagError extends Error {}

function malformed(detail: string): never {
  throw new MalformedTagError(`Malformed tagged value: ${detail}`)
}

function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    })
  } else {
    target[key] = value
  }
}

/**
 * Restores the special values in a tree parsed from tagged JSON, in place where it can.
 *
 * @throws Error when a tag is unknown or its payload has the wrong shape; the codec turns this
 *   into a `{ ok: false }` result.
 */
export function fromTagged(tree: unknown): unknown {
  return revive(tree)
}

function revive(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i]
      if (typeof item === 'object' && item !== null) node[i] = revive(item)
    }
    return node
  }
  const obj = node as Record<string, unknown>
  const kind = obj[TAG_KEY]
  if (kind !== undefined) return reviveTag(kind, obj.v)
  for (const key in obj) {
    const item = obj[key]
    if (typeof item === 'object' && item !== null) obj[key] = revive(item)
  }
  return obj
}

function entryList(v: unknown): [unknown, unknown][] {
  if (!Array.isArray(v)) malformed('expected an entry list')
  for (const entry of v) {
    if (!Array.isArray(entry) || entry.length !== 2) malformed('expected [key, value] pairs')
  }
  return v as [unknown, unknown][]
}

function reviveTag(kind: unknown, v: unknown): unknown {
  switch (kind) {
    case 'D':
      if (v !== null && typeof v !== 'number') malformed('date')
      return new Date(v ?? Number.NaN)
    case 'B':
      if (typeof v !== 'string' || !/^-?\d+$/.test(v)) malformed('bigint')
      return BigInt(v)
    case 'M': {
      const map = new Map<unknown, unknown>()
      for (const [k, value] of entryList(v)) map.set(revive(k), revive(value))
      return map
    }
    case 'S': {
      if (!Array.isArray(v)) malformed('set')
      const set = new Set<unknown>()
      for (const item of v) set.add(revive(item))
      return set
    }
    case 'X':
      if (typeof v !== 'string') malformed('bytes')
      return Buffer.from(v, 'base64')
    case 'U':
      return undefined
    case 'N':
      switch (v) {
        case 'NaN':
          return Number.NaN
        case 'Infinity':
          return Number.POSITIVE_INFINITY
        case '-Infinity':
          return Number.NEGATIVE_INFINITY
        case '-0':
          return -0
      }
      return malformed('number')
    case 'O': {
      const out: Record<string, unknown> = {}
      for (const [k, value] of entryList(v)) {
        if (typeof k !== 'string') malformed('object key')
        setProperty(out, k, revive(value))
      }
      return out
    }
  }
  return malformed(`unknown tag ${JSON.stringify(kind)}`)
}
