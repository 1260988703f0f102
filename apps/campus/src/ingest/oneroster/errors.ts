/**
 * Errors of the OneRoster import and export, with stable codes. A set with problems in its
 * rows is not an error: the import returns every problem in its result. These are for what
 * stops a run before any row is read (an unreadable path, a refused archive) or a failure of
 * the database underneath.
 *
 * @module
 */

/** Stable codes; branch on these, never on messages. */
export type OneRosterErrorCode =
  /** The path is neither a directory nor a zip file, or cannot be read. */
  | 'E_ONEROSTER_SOURCE'
  /** `--org` names an organisation that does not exist. */
  | 'E_ONEROSTER_ORG'
  /** The export target exists and is not empty. */
  | 'E_ONEROSTER_TARGET'

/** A OneRoster import or export that could not start. */
export class OneRosterError extends Error {
  readonly code: OneRosterErrorCode
  constructor(code: OneRosterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'OneRosterError'
  }
}

/**
 * One problem of a set, formatted `file:row:column: reason` (row is the line number in the
 * file, the header being line 1; column is the header name). File-level problems leave row
 * and column out.
 */
export function problem(file: string, row: number | null, column: string | null, reason: string) {
  if (row === null) return `${file}: ${reason}`
  return `${file}:${row}:${column ?? '-'}: ${reason}`
}
