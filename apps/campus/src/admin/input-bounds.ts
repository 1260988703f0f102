/**
 * Bounds and text rules of course builder input, checked before any schema runs.
 *
 * A body is walked once, without recursion, before zod or the database see it: JSON.parse
 * accepts any depth, but a value 10,000 levels deep overflows the stack of every recursive
 * consumer after it (zod, JSON.stringify in the driver, the cache codec), and PostgreSQL refuses
 * NUL in text while a lone surrogate is silently stored as U+FFFD. Each refusal is a 400 naming
 * the field. The limits are listed in docs/SECURITY.md.
 *
 * @module
 */
import { z } from 'zod'
import { type AdminError, invalid } from './errors.js'

/** Limits of course builder input (docs/SECURITY.md lists them with the request body limit). */
export const INPUT_LIMITS = {
  /** Characters of a title (component, resource, placement). */
  titleChars: 500,
  /** Characters of `metadata.description`. */
  descriptionChars: 10_000,
  /** Characters of any other string in a body (an article paragraph, for example). */
  stringChars: 20_000,
  /** Characters of an object key. */
  keyChars: 100,
  /** Nesting levels of `metadata` (`{ "a": { "b": 1 } }` is 2). */
  metadataDepth: 16,
  /** Object keys plus array items in one body, at every level together. */
  entries: 2_000,
  /** Size of `metadata` as JSON, in bytes. */
  metadataBytes: 262_144,
} as const

// NUL (PostgreSQL text cannot hold it) and lone surrogates (not Unicode; stored as U+FFFD). With
// the `u` flag a well-formed surrogate pair is one code point, so \p{Cs} matches only lone ones.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
const UNSTORABLE = /[\u0000\p{Cs}]/u

/** Whether PostgreSQL can store `value` exactly as given. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value)
}

const UNSTORABLE_REASON = 'must not contain NUL characters or lone surrogates'

// The body is one level; `metadata` is the next.
const MAX_BODY_DEPTH = INPUT_LIMITS.metadataDepth + 1

/**
 * The first bound a parsed JSON body breaks, as a 400 naming the field; undefined when it keeps
 * them all. Iterative, so no depth can overflow the stack here.
 */
export function checkBodyBounds(body: unknown): AdminError | undefined {
  const stack: { value: unknown; path: string[]; depth: number }[] = [
    { value: body, path: [], depth: 0 },
  ]
  let entries = 0
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number]
    const field = path.length > 0 ? path.join('.') : 'body'
    if (typeof value === 'string') {
      if (!isStorableText(value)) return invalid(field, UNSTORABLE_REASON)
      if (value.length > INPUT_LIMITS.stringChars) {
        return invalid(field, `must be at most ${INPUT_LIMITS.stringChars} characters`)
      }
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_BODY_DEPTH) {
      return invalid(field, `nests deeper than ${INPUT_LIMITS.metadataDepth} levels`)
    }
    const children = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value)
    entries += children.length
    if (entries > INPUT_LIMITS.entries) {
      return invalid(field, `has more than ${INPUT_LIMITS.entries} keys and items in all`)
    }
    // Pushed last to first, so the walk visits (and reports) fields in document order.
    for (const [key, child] of children.reverse()) {
      // A bad key is named by its parent: the key itself is what cannot be shown or stored.
      if (!isStorableText(key)) return invalid(field, `has a key that ${UNSTORABLE_REASON}`)
      if (key.length > INPUT_LIMITS.keyChars) {
        return invalid(field, `has a key longer than ${INPUT_LIMITS.keyChars} characters`)
      }
      stack.push({ value: child, path: [...path, key], depth: depth + 1 })
    }
  }
  return undefined
}

/** A string PostgreSQL stores exactly, of at most `max` characters. */
export function storableString(max: number) {
  return z.string().max(max).refine(isStorableText, UNSTORABLE_REASON)
}

/** A metadata object within {@link INPUT_LIMITS.metadataBytes} once stored as JSON. */
export function boundedMetadata<S extends z.ZodType<object>>(schema: S) {
  return schema.refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= INPUT_LIMITS.metadataBytes,
    `must be at most ${INPUT_LIMITS.metadataBytes} bytes as JSON`,
  )
}
