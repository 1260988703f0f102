/**
 * Helpers shared by the codec's value walkers: depth limit and error paths.
 *
 * @internal
 * @module
 */
import { EncodeError } from './errors.js'

/**
 * Deeper values are rejected rather than risking a stack overflow; a cycle also ends here,
 * which is cheaper than tracking every visited object on the hot path.
 */
export const MAX_DEPTH = 1000

/** Carries the path to the offending value up the recursion; only built on failure. */
export class Unencodable extends Error {
  readonly path: (string | number)[] = []
}

/** Throws an {@link Unencodable} describing `what` could not be encoded. */
export function fail(what: string): never {
  throw new Unencodable(what)
}

/** Throws the depth-limit error. */
export function tooDeep(): never {
  return fail(`a value nested deeper than ${MAX_DEPTH} levels (is there a cycle?)`)
}

/** Prepends `key` to the path of an {@link Unencodable} passing through a container. */
export function within(error: unknown, key: string | number): unknown {
  if (error instanceof Unencodable) error.path.unshift(key)
  return error
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '$'
  for (const key of path.slice(0, 12)) {
    if (typeof key === 'number') out += `[${key}]`
    else out += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
  }
  return path.length > 12 ? `${out}...` : out
}

/**
 * Turns anything thrown while walking or serialising a value into an {@link EncodeError}: an
 * unsupported value, but also a throwing getter or `toJSON`, which are still the value's fault.
 */
export function toEncodeError(error: unknown): EncodeError {
  if (error instanceof EncodeError) return error
  if (error instanceof Unencodable) {
    return new EncodeError(`Cannot encode ${error.message} at ${formatPath(error.path)}`)
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new EncodeError(`Cannot encode value: ${detail}`, { cause: error })
}

/**
 * Values no format stores faithfully. Caching one is almost always a bug (an un-awaited call, an
 * error object), so encoding fails loudly instead of writing `{}`.
 */
export function alwaysUnsupported(value: object): string | undefined {
  if (value instanceof Promise) return 'a Promise (did you forget an await?)'
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return 'a WeakMap, WeakSet or WeakRef'
  }
  if (value instanceof Error) return 'an Error (cache results, not errors)'
  if (value instanceof SharedArrayBuffer) return 'a SharedArrayBuffer'
  return undefined
}

/** Whether `value` has a callable `toJSON`, which JSON.stringify would honour. */
export function hasToJSON(value: object): value is { toJSON(key: string): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function'
}
