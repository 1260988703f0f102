/**
 * The header row check: names, order and case exactly as the binding fixes them. Columns after
 * the binding's that start `metadata.` are extensions the binding allows; they are accepted and
 * not stored. Every difference is reported, each at its column.
 *
 * @module
 */
import { problem } from './errors.js'
import type { FieldSpec } from './fields.js'
import type { FileSpec } from './files.js'

/** The outcome: the fields in file order, or the problems. */
export type HeaderCheck = { ok: true; fields: FieldSpec[] } | { ok: false; problems: string[] }

/** The header lists a file may have: the full one, and without each optional header. */
function variants(spec: FileSpec): FieldSpec[][] {
  const full = spec.fields
  const optional = spec.optionalHeaders ?? []
  return optional.length === 0 ? [full] : [full, full.filter((f) => !optional.includes(f.header))]
}

/** Checks `header` (the first record) against the binding's header of `spec`. */
export function checkHeader(spec: FileSpec, header: readonly string[]): HeaderCheck {
  const standard = header.filter((h) => !h.startsWith('metadata.'))
  const extensionsLast = header.slice(standard.length).every((h) => h.startsWith('metadata.'))
  for (const fields of variants(spec)) {
    if (
      extensionsLast &&
      standard.length === fields.length &&
      fields.every((f, i) => f.header === standard[i])
    ) {
      return { ok: true, fields }
    }
  }
  // Report against the variant the file is closest to (1.2.1 users.csv if it has that column).
  const all = variants(spec)
  const fields =
    all.find((v) => v.every((f) => header.includes(f.header))) ??
    all.find((v) =>
      (spec.optionalHeaders ?? []).every(
        (h) => header.includes(h) === v.some((f) => f.header === h),
      ),
    ) ??
    all[0] ??
    []
  const problems: string[] = []
  const at = (column: string, reason: string) =>
    problems.push(problem(spec.name, 1, column, reason))
  fields.forEach((field, i) => {
    const found = header[i]
    if (found === field.header) return
    const elsewhere = header.indexOf(field.header)
    const caseless = header.findIndex((h) => h.toLowerCase() === field.header.toLowerCase())
    if (elsewhere >= 0) {
      at(
        field.header,
        `found as column ${elsewhere + 1}, expected as column ${i + 1} (the binding fixes the column order)`,
      )
    } else if (caseless >= 0) {
      at(
        field.header,
        `column ${caseless + 1} is ${JSON.stringify(header[caseless])}; header names are case-sensitive, expected ${JSON.stringify(field.header)}`,
      )
    } else {
      at(field.header, `missing column (expected as column ${i + 1})`)
    }
  })
  const expected = new Set(fields.map((f) => f.header.toLowerCase()))
  header.forEach((h, i) => {
    if (h.startsWith('metadata.')) {
      if (i < fields.length)
        at(h, `extension column ${i + 1} must come after the binding's columns`)
      return
    }
    if (!expected.has(h.toLowerCase())) at(h, `unexpected column ${i + 1}`)
  })
  if (problems.length === 0) at('-', 'header does not match the binding')
  return { ok: false, problems }
}
