/**
 * Import runs: the record every ingestion (OneRoster CSV, IXL, Toddle, SCORM) keeps of itself.
 *
 * A run is inserted as `running` before the first row is read, its counters are written as it
 * goes (at most once per {@link PROGRESS_WRITE_INTERVAL_MS}, so a fast import is not slowed by its
 * own bookkeeping), and it ends `succeeded`, `failed` or `dry-run`. The admin upload pages poll
 * the row to show progress; the command line shows the same counters.
 *
 * @module
 */
import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { type ImportRunStatus, type ImportSource, importRuns } from '../db/schema.js'

/** How often, at most, a running import writes its counters. */
export const PROGRESS_WRITE_INTERVAL_MS = 500
/** Problems kept on the run row; the count keeps going beyond it. */
export const MAX_STORED_PROBLEMS = 1000

/** What a run is started with. */
export interface StartRunInput {
  source: ImportSource
  origin: string
  via: 'cli' | 'admin' | 'api'
  orgSourcedId?: string | null
  startedBy?: string | null
  contentHash?: string | null
  filesTotal?: number
}

/** The counters of a run, as they stand. */
export interface RunCounts {
  filesTotal: number
  filesDone: number
  rowsRead: number
  rowsInserted: number
  rowsUpdated: number
  rowsUnchanged: number
  rowsRejected: number
}

/** A run in progress: counters in memory, written to its row now and then and at the end. */
export class ImportRun {
  readonly counts: RunCounts
  readonly problems: string[] = []
  problemCount = 0
  /** When the run started (ms since epoch), for rows per second. */
  readonly startedAt = Date.now()
  private lastWrite = 0
  /** The write in flight, so two progress writes never overlap. */
  private writing: Promise<void> | undefined

  constructor(
    private readonly db: Database,
    readonly id: string,
    filesTotal: number,
  ) {
    this.counts = {
      filesTotal,
      filesDone: 0,
      rowsRead: 0,
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: 0,
    }
  }

  /** Records problems (`file:row:column: reason`); all are counted, the first 1,000 kept. */
  problem(...lines: string[]): void {
    this.problemCount += lines.length
    for (const line of lines) {
      if (this.problems.length >= MAX_STORED_PROBLEMS) break
      this.problems.push(line)
    }
  }

  /** Rows read per second since the run started. */
  rowsPerSecond(now = Date.now()): number {
    const seconds = (now - this.startedAt) / 1000
    return seconds > 0 ? this.counts.rowsRead / seconds : 0
  }

  /**
   * Writes the counters if the last write is older than the interval (or `force`). Never
   * throws and never queues a second write behind one in flight (the next call catches up):
   * bookkeeping must not fail or stall the import it describes. An importer holding a
   * transaction on a single-connection database (PGlite) may call it without awaiting; the
   * write then lands when the transaction ends.
   */
  async progress(force = false): Promise<void> {
    const now = Date.now()
    if (!force && now - this.lastWrite < PROGRESS_WRITE_INTERVAL_MS) return
    if (this.writing) {
      if (!force) return
      await this.writing
    }
    this.lastWrite = now
    this.writing = this.db
      .update(importRuns)
      .set({ ...this.counts, problemCount: this.problemCount })
      .where(eq(importRuns.id, this.id))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.writing = undefined
      })
    await this.writing
  }

  /** Ends the run with its final counters, problems and, for a failure, the reason. */
  async finish(status: Exclude<ImportRunStatus, 'running'>, error?: string): Promise<void> {
    // A progress write landing after the final one would put old counters back.
    if (this.writing) await this.writing
    await this.db
      .update(importRuns)
      .set({
        ...this.counts,
        problems: this.problems,
        problemCount: this.problemCount,
        status,
        error: error ?? null,
        finishedAt: sql`now()`,
      })
      .where(eq(importRuns.id, this.id))
  }
}

/** Inserts a `running` run and returns its handle. */
export async function startRun(db: Database, input: StartRunInput): Promise<ImportRun> {
  const [row] = await db
    .insert(importRuns)
    .values({
      source: input.source,
      origin: input.origin,
      via: input.via,
      orgSourcedId: input.orgSourcedId ?? null,
      startedBy: input.startedBy ?? null,
      contentHash: input.contentHash ?? null,
      filesTotal: input.filesTotal ?? 0,
    })
    .returning({ id: importRuns.id })
  if (row === undefined) throw new Error('import run was not inserted')
  return new ImportRun(db, row.id, input.filesTotal ?? 0)
}
