/**
 * Imports one IXL export into the external assessment tables of one organisation.
 *
 * The file is streamed through csv-parse (never read whole) and written in batches inside one
 * transaction: when any row has a problem, the transaction is rolled back and nothing is written,
 * but reading goes on so that every problem is reported, not only the first. The import run row
 * records who, what, the counters as they move and the outcome. See docs/ingestion.md.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { type CsvError, parse } from 'csv-parse'
import type { Database } from '../../db/client.js'
import { hashFile } from '../hash.js'
import { requireOrg } from '../org.js'
import { problemLine } from '../problems.js'
import { type RunCounts, startRun } from '../runs.js'
import { writeBatch } from './batch.js'
import { csvReason } from './csv-errors.js'
import { describeUnknownLayout, detectLayout } from './detect.js'
import { sniffEncoding } from './encoding.js'
import { type IxlRow, parseIxlRow } from './row.js'
import { addProblem, type State } from './state.js'

/** What {@link importIxlFile} is given. */
export interface IxlImportOptions {
  db: Database
  /**
   * Whether the run row may be written while the import's transaction is open. True on a
   * PostgreSQL pool; false on PGlite, whose single connection the transaction holds (the counters
   * are then written when the transaction ends).
   */
  liveRunProgress: boolean
  orgSourcedId: string
  path: string
  /** The name problems cite. @default basename(path) */
  fileName?: string
  via: 'cli' | 'admin' | 'api'
  startedBy?: string | null
  /** Read, match and count, then roll back. */
  dryRun?: boolean
  /** Period label for layouts without `Administration`/`Year` columns. @default '' */
  period?: string
  /** Write the matched rows even when some rows match no learner (they are reported). */
  allowUnmatched?: boolean
  /** Rows per write. @default 500 */
  batchSize?: number
  /** Called when the run exists (the admin page polls it) and after every batch. */
  onProgress?: (progress: IxlProgress) => void
}

/** Progress of a running import. */
export interface IxlProgress {
  runId: string
  layout: string | null
  counts: RunCounts
}

/** How an import ended. */
export interface IxlImportResult {
  runId: string
  status: 'succeeded' | 'failed' | 'dry-run'
  layout: string | null
  counts: RunCounts
  /** Every problem found (the run row keeps the first 1,000). */
  problems: string[]
  /** One line saying what happened. */
  summary: string
}

/** Thrown inside the transaction to roll it back; never escapes this module. */
class Rollback extends Error {}

/**
 * Imports the IXL export at `options.path` for `options.orgSourcedId`.
 *
 * @example
 * const result = await importIxlFile({ db, liveRunProgress: true, orgSourcedId: 'org-school-01', path: 'ixl.csv', via: 'cli' })
 * if (result.status === 'failed') console.error(result.problems.join('\n'))
 */
export async function importIxlFile(options: IxlImportOptions): Promise<IxlImportResult> {
  const { db } = options
  await requireOrg(db, options.orgSourcedId)
  const file = options.fileName ?? basename(options.path)
  const run = await startRun(db, {
    source: 'ixl-csv',
    origin: file,
    via: options.via,
    orgSourcedId: options.orgSourcedId,
    startedBy: options.startedBy ?? null,
    contentHash: await hashFile(options.path),
    filesTotal: 1,
  })
  const state: State = {
    run,
    file,
    layout: null,
    problems: [],
    hardProblems: 0,
    unmatched: 0,
    written: { inserted: 0, updated: 0, unchanged: 0 },
    seen: new Map(),
  }
  const report = (): void =>
    options.onProgress?.({ runId: run.id, layout: state.layout, counts: { ...run.counts } })
  report()
  try {
    const encoding = await sniffEncoding(options.path)
    if (encoding) {
      addProblem(state, problemLine(file, null, null, encoding), true)
    } else {
      await db
        .transaction(async (tx) => {
          await readAndWrite(tx as unknown as Database, options, state, report)
          if (state.hardProblems > 0 || options.dryRun) throw new Rollback()
          if (state.unmatched > 0 && !options.allowUnmatched) throw new Rollback()
          if (run.counts.rowsRead > 0 && state.unmatched === run.counts.rowsRead) {
            throw new Rollback()
          }
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error
        })
    }
  } catch (error) {
    await run.finish('failed', (error as Error).message)
    throw error
  }
  return finish(options, state, report)
}

async function finish(
  options: IxlImportOptions,
  state: State,
  report: () => void,
): Promise<IxlImportResult> {
  const { run, file } = state
  const read = run.counts.rowsRead
  let status: IxlImportResult['status']
  let summary: string
  const allUnmatched = read > 0 && state.unmatched === read
  if (state.hardProblems > 0 || (state.unmatched > 0 && !options.allowUnmatched) || allUnmatched) {
    status = 'failed'
    summary = allUnmatched
      ? `${file}: none of the ${read} rows matched a learner of ${options.orgSourcedId}; nothing was written`
      : `${file}: ${state.problems.length} problem(s); nothing was written`
    // Nothing was committed: the counters say so.
    run.counts.rowsInserted = 0
    run.counts.rowsUpdated = 0
    run.counts.rowsUnchanged = 0
  } else {
    status = options.dryRun ? 'dry-run' : 'succeeded'
    const verb = options.dryRun ? 'would insert' : 'inserted'
    summary =
      `${file} (${state.layout}): ${read} rows read; ${verb} ${state.written.inserted}, ` +
      `${options.dryRun ? 'would update' : 'updated'} ${state.written.updated}, ` +
      `unchanged ${state.written.unchanged}` +
      (state.unmatched > 0 ? `; ${state.unmatched} rows matched no learner and were skipped` : '') +
      (options.dryRun ? ' (dry run: nothing was written)' : '')
  }
  run.counts.filesDone = 1
  await run.finish(status, status === 'failed' ? summary : undefined)
  report()
  return {
    runId: run.id,
    status,
    layout: state.layout,
    counts: { ...run.counts },
    problems: state.problems,
    summary,
  }
}

async function readAndWrite(
  tx: Database,
  options: IxlImportOptions,
  state: State,
  report: () => void,
): Promise<void> {
  const { run, file } = state
  const parser = createReadStream(options.path).pipe(
    parse({
      // A UTF-8 byte-order mark (Excel writes one) is dropped, not taken as part of a header.
      bom: true,
      skip_empty_lines: true,
      // A malformed record is reported with its line and reading goes on, so the user sees
      // every problem at once.
      skip_records_with_error: true,
      info: true,
    }),
  )
  parser.on('skip', (error: CsvError) => {
    run.counts.rowsRead++
    run.counts.rowsRejected++
    const line = typeof error.lines === 'number' ? error.lines : null
    addProblem(state, problemLine(file, line, null, csvReason(error)), true)
  })
  let header: string[] | null = null
  let targets: ReturnType<typeof detectLayout> | null = null
  let batch: IxlRow[] = []
  const batchSize = options.batchSize ?? 500
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[]
    info: { lines: number }
  }>) {
    if (header === null) {
      header = record
      targets = detectLayout(header)
      if (!targets.ok) {
        addProblem(state, problemLine(file, info.lines, null, describeUnknownLayout(targets)), true)
        parser.destroy()
        return
      }
      state.layout = targets.layout.id
      continue
    }
    if (!targets?.ok) return
    run.counts.rowsRead++
    const { row, problems } = parseIxlRow(
      header,
      targets.targets,
      record,
      info.lines,
      options.period ?? '',
    )
    if (problems.length > 0) {
      run.counts.rowsRejected++
      for (const p of problems)
        addProblem(state, problemLine(file, row.line, p.column, p.reason), true)
      continue
    }
    batch.push(row)
    if (batch.length >= batchSize) {
      await writeBatch(tx, options, state, header, batch)
      batch = []
      if (options.liveRunProgress) await run.progress()
      report()
    }
  }
  if (header === null) {
    addProblem(state, problemLine(file, null, null, 'the file has no header row'), true)
    return
  }
  if (batch.length > 0) await writeBatch(tx, options, state, header, batch)
  if (run.counts.rowsRead === 0) {
    addProblem(state, problemLine(file, null, null, 'the file has a header but no data rows'), true)
  }
  report()
}
