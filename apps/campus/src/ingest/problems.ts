/**
 * `file:row:column: reason`, the one shape every import problem is reported in.
 *
 * @module
 */

/** Formats a problem; `row` and `column` are left out when the problem is about the whole file. */
export function problemLine(
  file: string,
  row: number | null,
  column: string | null,
  reason: string,
): string {
  const where = [file, row === null ? null : String(row), column].filter(
    (part): part is string => part !== null,
  )
  return `${where.join(':')}: ${reason}`
}
