/**
 * Canonical JSON for request fingerprints, after RFC 8785 (JCS): object members sorted by key
 * (UTF-16 code units), no insignificant whitespace, numbers and strings as ECMAScript's
 * `JSON.stringify` writes them (which is what JCS specifies).
 *
 * Hand-written: no canonicaliser is among the installed dependencies, and with `JSON.stringify`
 * doing the number and string forms, only the key order is left, which is a dozen lines.
 *
 * @module
 */

/**
 * Serialises a parsed JSON value canonically: `{"b":1,"a":[2,1]}` and `{ "a": [2, 1], "b": 1.0 }`
 * give the same text. Array order is kept (it is significant).
 *
 * @example canonicalJson(JSON.parse('{ "b": 1, "a": { "d": 1.0, "c": null } }')) // '{"a":{"c":null,"d":1},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // JSON.parse output only: string, finite number, boolean or null.
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  // Default sort compares UTF-16 code units, as JCS requires.
  const keys = Object.keys(record).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}
