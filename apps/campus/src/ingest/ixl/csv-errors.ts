/**
 * csv-parse's errors in words a user can act on.
 *
 * @module
 */
import type { CsvError } from 'csv-parse'

/** Why csv-parse refused a record. */
export function csvReason(error: CsvError): string {
  const record: unknown = error.record
  const columns: unknown = error.columns
  if (
    error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' &&
    Array.isArray(record) &&
    Array.isArray(columns)
  ) {
    return `the row has ${record.length} fields, the header has ${columns.length}`
  }
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(record)) {
    return `the row has ${record.length} fields, unlike the header`
  }
  return `malformed CSV (${error.code}): ${error.message}`
}
