/**
 * Field kinds of the OneRoster 1.2 CSV binding: how a cell is checked and parsed on import and
 * written on export. Parsing and formatting are inverses on every value campus stores, which is
 * what makes export → import → export give identical files.
 *
 * @module
 */

/** What a cell holds. */
export type FieldKind =
  | 'id'
  | 'string'
  | 'enum'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'year'
  | 'float'
  | 'list'
  | 'grades'
  | 'userIds'
  | 'scoreScaleValue'

/** One column of a OneRoster CSV file. */
export interface FieldSpec {
  /** The header, exactly as the binding spells it. */
  header: string
  /** The database column it maps to; absent for columns campus reads but does not keep. */
  column?: string
  kind: FieldKind
  required?: boolean
  /** Allowed values of an `enum` (and, per element, of a `list` when set). */
  values?: readonly string[]
  /** The file whose `sourcedId` this column (or each list element) names. */
  ref?: string
  /** The stored value of an empty cell, when not null (a NOT NULL column with a default). */
  empty?: unknown
  /** The column names an organisation: `--org` confines it to the organisation's tree. */
  org?: boolean
}

/** CEDS grade levels, the vocabulary of `grades` in the 1.2 binding. */
export const GRADES: readonly string[] = [
  'IT',
  'PR',
  'PK',
  'TK',
  'KG',
  ...Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(2, '0')),
  'PS',
  'UG',
  'Other',
]

/** A parsed cell: the value for the database, or why the cell is refused. */
export type ParsedCell = { ok: true; value: unknown } | { ok: false; reason: string }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// ISO 8601 date-time with seconds, optional fraction and a zone (Z or ±hh:mm), as the binding asks.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const PAIR = /^\{([^{}:]*):([^{}]*)\}$/

function validDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const when = new Date(Date.UTC(y, mo - 1, d))
  return when.getUTCFullYear() === y && when.getUTCMonth() === mo - 1 && when.getUTCDate() === d
}

/** Splits a list cell; elements are comma-separated inside one (quoted) cell. */
export function splitList(text: string): string[] {
  return text === '' ? [] : text.split(',').map((part) => part.trim())
}

/**
 * Splits `{a:b},{c:d}`. Hand-written because the pairs' braces, not the commas, delimit the
 * elements (an identifier may itself contain a comma), which no CSV library handles.
 */
function splitPairs(text: string): [string, string][] | undefined {
  const out: [string, string][] = []
  let rest = text.trim()
  while (rest !== '') {
    const end = rest.indexOf('}')
    if (end < 0) return undefined
    const m = PAIR.exec(rest.slice(0, end + 1).trim())
    if (!m) return undefined
    out.push([m[1] ?? '', m[2] ?? ''])
    rest = rest.slice(end + 1).trim()
    if (rest.startsWith(',')) rest = rest.slice(1).trim()
    else if (rest !== '') return undefined
  }
  return out
}

const quoteList = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ')

/** Parses one non-empty cell of `field`. Empty cells are handled by the caller (required?). */
export function parseCell(field: FieldSpec, text: string): ParsedCell {
  switch (field.kind) {
    case 'id':
    case 'string':
      return { ok: true, value: text }
    case 'enum':
      return field.values?.includes(text)
        ? { ok: true, value: text }
        : {
            ok: false,
            reason: `unknown value ${JSON.stringify(text)}; expected one of ${quoteList(field.values ?? [])}`,
          }
    case 'date':
      return validDate(text)
        ? { ok: true, value: text }
        : { ok: false, reason: `${JSON.stringify(text)} is not a date (YYYY-MM-DD)` }
    case 'datetime': {
      // A bare date is read as midnight UTC: many exporters write dates where 1.2 has date-times.
      const iso = validDate(text) ? `${text}T00:00:00Z` : text
      const when = DATETIME.test(iso) ? new Date(iso) : undefined
      if (!when || Number.isNaN(when.getTime()) || !validDate(iso.slice(0, 10))) {
        return {
          ok: false,
          reason: `${JSON.stringify(text)} is not an ISO 8601 date-time (e.g. 2024-09-01T08:00:00.000Z)`,
        }
      }
      return { ok: true, value: when.toISOString() }
    }
    case 'boolean':
      if (text === 'true') return { ok: true, value: true }
      if (text === 'false') return { ok: true, value: false }
      return { ok: false, reason: `${JSON.stringify(text)} is not "true" or "false"` }
    case 'year':
      return /^\d{4}$/.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, reason: `${JSON.stringify(text)} is not a four-digit year` }
    case 'float': {
      const n = Number(text)
      return FLOAT.test(text) && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, reason: `${JSON.stringify(text)} is not a number` }
    }
    case 'list':
      return { ok: true, value: splitList(text) }
    case 'grades': {
      const grades = splitList(text)
      const bad = grades.filter((g) => !GRADES.includes(g))
      return bad.length === 0
        ? { ok: true, value: grades }
        : {
            ok: false,
            reason: `unknown grade ${quoteList(bad)}; expected CEDS grade levels (${GRADES.join(', ')})`,
          }
    }
    case 'userIds':
    case 'scoreScaleValue': {
      const pairs = splitPairs(text)
      if (!pairs) {
        return { ok: false, reason: `${JSON.stringify(text)} is not a list of {key:value} pairs` }
      }
      return {
        ok: true,
        value:
          field.kind === 'userIds'
            ? pairs.map(([type, identifier]) => ({ type, identifier }))
            : pairs.map(([itemValueLHS, itemValueRHS]) => ({ itemValueLHS, itemValueRHS })),
      }
    }
  }
}

/** Writes a stored value back as the binding's cell text (the inverse of {@link parseCell}). */
export function formatCell(field: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return ''
  switch (field.kind) {
    case 'datetime':
      return (value instanceof Date ? value : new Date(String(value))).toISOString()
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value)
    case 'list':
    case 'grades':
      return (value as string[]).join(',')
    case 'userIds':
      return (value as { type: string; identifier: string }[])
        .map((p) => `{${p.type}:${p.identifier}}`)
        .join(',')
    case 'scoreScaleValue':
      return (value as { itemValueLHS: string; itemValueRHS: string }[])
        .map((p) => `{${p.itemValueLHS}:${p.itemValueRHS}}`)
        .join(',')
    default:
      return String(value)
  }
}
