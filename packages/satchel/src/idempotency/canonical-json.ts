/**
 * Canonical JSON for request fingerprints, after RFC 8785 (JCS): object members sorted by key
 * (UTF-16 code units), no insignificant whitespace, strings as `JSON.stringify` writes them.
 *
 * Numbers are where JCS and a fingerprint part ways. JCS writes every number as the IEEE double
 * it parses to, so `9007199254740993` and `9007199254740992` (one apart, beyond 2^53) become the
 * same text and `1e400` becomes nothing at all. A fingerprint must tell payloads apart, so the
 * text is parsed with `lossless-json`, which keeps each number's digits, and a number is written
 * as its double only when that double is exactly the number written; otherwise as its exact
 * decimal value. `1.0`, `1` and `1e0` stay one payload (same value); `…993` and `…992` do not.
 *
 * @module
 */
import { isLosslessNumber, parse } from 'lossless-json'

/**
 * Parses JSON text without losing numbers. Throws on invalid JSON and on a key repeated with a
 * different value (which `JSON.parse` would resolve silently, last one wins).
 * @example canonicalJson(parseLossless('{ "n": 9007199254740993 }')) // '{"n":9007199254740993}'
 */
export function parseLossless(text: string): unknown {
  return parse(text)
}

/**
 * Serialises a value from {@link parseLossless} (or `JSON.parse`) canonically:
 * `{"b":1,"a":[2,1]}` and `{ "a": [2, 1], "b": 1.0 }` give the same text. Array order is kept
 * (it is significant).
 *
 * @example canonicalJson(parseLossless('{ "b": 1, "a": { "d": 1.0, "c": null } }')) // '{"a":{"c":null,"d":1},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (isLosslessNumber(value)) return canonicalNumber(value.value)
  if (value === null || typeof value !== 'object') {
    // Parser output only: string, number, boolean or null.
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  // Default sort compares UTF-16 code units, as JCS requires.
  const keys = Object.keys(record).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}

/**
 * A JSON number's text in canonical form: the double's text (what JCS writes) when the double is
 * exactly the written value, else the exact value as `<digits>e<exponent>`. The two forms never
 * name different values with one text: the exact form is only used when no double has the value.
 */
export function canonicalNumber(text: string): string {
  const exact = exactDecimal(text)
  const double = Number(text)
  if (Number.isFinite(double) && exactDecimal(String(double)) === exact) {
    return JSON.stringify(double)
  }
  return exact
}

/**
 * The exact value of a decimal numeral as `-?<digits>e<exponent>` with no leading or trailing
 * zeros in the digits (zero is `0e0`, whatever its sign), so equal values give equal text. The
 * exponent is a BigInt: `1e999999999999999999` must not round either.
 */
function exactDecimal(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match) throw new SyntaxError(`not a JSON number: ${text}`)
  const [, sign, whole = '', fraction = '', exponent = '0'] = match
  let digits = `${whole}${fraction}`.replace(/^0+/, '')
  if (digits === '') return '0e0'
  let scale = BigInt(exponent) - BigInt(fraction.length)
  const trimmed = digits.replace(/0+$/, '')
  scale += BigInt(digits.length - trimmed.length)
  digits = trimmed
  return `${sign}${digits}e${scale}`
}
