/**
 * Reads one OneRoster CSV file as a stream: strict UTF-8, csv-parse, the header check, then
 * every row checked cell by cell (required, enumerations, dates, numbers, lists) and handed on
 * in batches. Memory stays bounded by one batch whatever the file's size: the caller awaits
 * each batch, and csv-parse stops reading while it does.
 *
 * @module
 */
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type CsvError, parse } from 'csv-parse'
import { EncodingError, strictUtf8 } from './decode.js'
import { problem } from './errors.js'
import { type FieldSpec, parseCell } from './fields.js'
import type { FileSpec } from './files.js'
import { checkHeader } from './header.js'
import { SizeLimitError } from './source.js'

/** Rows handed on per batch. */
export const BATCH_ROWS = 2000

/** A checked row, keyed by database column, plus its line (`row_no`) and whether it was refused. */
export type StagedRow = Record<string, unknown> & { row_no: number; rejected?: boolean }

/** What {@link readCsvFile} needs. */
export interface ReadOptions {
  spec: FileSpec
  mode: 'bulk' | 'delta'
  /** `dateLastModified` of bulk rows that leave it empty (the import's start, ISO). */
  now: string
  /** Records problems (`file:row:column: reason`). */
  report(line: string): void
  /** Receives checked rows; awaited, which is the back-pressure. */
  onBatch(rows: StagedRow[]): Promise<void>
  /** Called per row read, valid or not (progress). */
  onRow(): void
}

/** Counts of one file. */
export interface ReadResult {
  rows: number
  rejected: number
  /** False when the file could not be read to its end (header, encoding, size, syntax). */
  complete: boolean
}

/** Reads, checks and hands on every row of one file. Never throws for bad input. */
export async function readCsvFile(input: Readable, options: ReadOptions): Promise<ReadResult> {
  const { spec } = options
  const result: ReadResult = { rows: 0, rejected: 0, complete: false }
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  })
  let batch: StagedRow[] = []
  let fields: ReturnType<typeof checkHeader> | undefined
  const consume = async (records: AsyncIterable<{ record: string[]; info: { lines: number } }>) => {
    for await (const { record, info } of records) {
      if (fields === undefined) {
        fields = checkHeader(spec, record)
        if (!fields.ok) {
          for (const line of fields.problems) options.report(line)
          // The columns cannot be interpreted; the rest of the file is not read.
          input.destroy()
          return
        }
        continue
      }
      if (!fields.ok) return
      result.rows++
      options.onRow()
      const row = checkRow(options, fields.fields, record, info.lines)
      if (!row.ok) result.rejected++
      // A rejected row is staged too (its bad cells empty, flagged): references to its id are
      // then not reported as dangling, only the row's own problems are.
      batch.push(row.row)
      if (batch.length >= BATCH_ROWS) {
        await options.onBatch(batch)
        batch = []
      }
    }
  }
  try {
    await pipeline(input, strictUtf8(), parser, consume)
  } catch (error) {
    if (error instanceof EncodingError) {
      options.report(problem(spec.name, error.line, '-', error.message))
    } else if (error instanceof SizeLimitError) {
      options.report(problem(spec.name, null, null, error.message))
    } else if (isCsvError(error)) {
      options.report(problem(spec.name, error.lines ?? 0, '-', `malformed CSV: ${error.message}`))
    } else if (fields && !fields.ok) {
      // The header was refused and the input closed on purpose; its problems are reported.
    } else {
      options.report(problem(spec.name, null, null, `cannot be read: ${(error as Error).message}`))
    }
    return result
  }
  if (fields === undefined) {
    options.report(problem(spec.name, 1, '-', 'empty file; the header row is missing'))
    return result
  }
  if (batch.length > 0) await options.onBatch(batch)
  result.complete = fields.ok
  return result
}

function isCsvError(error: unknown): error is CsvError & { lines?: number } {
  return (
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('CSV_')
  )
}

/** Checks one record; reports each bad cell and returns the row (`ok` false when any is bad). */
function checkRow(
  options: ReadOptions,
  fields: FieldSpec[],
  record: string[],
  line: number,
): { ok: boolean; row: StagedRow } {
  const { spec, report } = options
  let ok = true
  const row: StagedRow = { row_no: line }
  if (record.length < fields.length) {
    report(
      problem(
        spec.name,
        line,
        fields[record.length]?.header ?? '-',
        `expected ${fields.length} columns, found ${record.length}`,
      ),
    )
    row.rejected = true
    if (record[0]) row.sourced_id = record[0]
    return { ok: false, row }
  }
  fields.forEach((field, i) => {
    const text = record[i] ?? ''
    if (text === '') {
      const lifecycle = field.header === 'status' || field.header === 'dateLastModified'
      if (lifecycle && options.mode === 'delta') {
        report(
          problem(spec.name, line, field.header, 'required in a delta file; the cell is empty'),
        )
        ok = false
      } else if (field.required) {
        report(problem(spec.name, line, field.header, 'required; the cell is empty'))
        ok = false
      } else if (field.column) {
        row[field.column] = emptyValue(field, options)
      }
      return
    }
    const parsed = parseCell(field, text)
    if (!parsed.ok) {
      report(problem(spec.name, line, field.header, parsed.reason))
      ok = false
    } else if (field.column) {
      row[field.column] = parsed.value
    }
  })
  if (!ok) row.rejected = true
  return { ok, row }
}

/** The stored value of an empty optional cell. */
function emptyValue(field: FieldSpec, options: ReadOptions): unknown {
  if (field.header === 'status') return 'active'
  if (field.header === 'dateLastModified') return options.now
  if (field.empty !== undefined) return field.empty
  switch (field.kind) {
    case 'list':
    case 'grades':
    case 'userIds':
    case 'scoreScaleValue':
      return []
    default:
      return null
  }
}
