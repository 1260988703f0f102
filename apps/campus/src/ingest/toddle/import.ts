/**
 * Imports Toddle data for one organisation: reference resources (academic years, grading
 * periods, courses, students, staff, enrollments) are read and checked first, then term grades,
 * attendance and the gradebook export are written in one transaction. Any problem (an unknown
 * field, a dangling reference, a duplicate, a learner campus cannot find) rolls it back, after
 * every problem has been found. See docs/ingestion.md for the field mapping.
 *
 * @module
 */
import type { Database } from '../../db/client.js'
import { requireOrg } from '../org.js'
import { problemLine } from '../problems.js'
import { type RunCounts, startRun } from '../runs.js'
import type { UpsertCounts } from '../upsert.js'
import { REFERENCE_RESOURCES, readReference } from './reference.js'
import { importResults } from './results.js'
import type { ToddleResource } from './shapes.js'
import type { ToddleSource } from './source.js'

/** What {@link importToddle} is given. */
export interface ToddleImportOptions {
  db: Database
  /** As in the IXL import: whether the run row may be written while the transaction is open. */
  liveRunProgress: boolean
  orgSourcedId: string
  source: ToddleSource
  via: 'cli' | 'admin' | 'api'
  startedBy?: string | null
  dryRun?: boolean
  /** Write what matches even when some rows name a learner campus cannot find. */
  allowUnmatched?: boolean
  onProgress?: (counts: RunCounts) => void
}

/** How the import ended. */
export interface ToddleImportResult {
  runId: string
  status: 'succeeded' | 'failed' | 'dry-run'
  counts: RunCounts
  problems: string[]
  summary: string
}

const REQUIRED: ReadonlySet<ToddleResource> = new Set([
  'academic-years',
  'grading-periods',
  'courses',
  'students',
])
const DATA: readonly ToddleResource[] = ['term-grades', 'attendance', 'gradebook']

class Rollback extends Error {}

/**
 * Imports from `options.source` into the Toddle tables of `options.orgSourcedId`.
 *
 * @example
 * await importToddle({ db, liveRunProgress: true, orgSourcedId: 'org-school-01', source: directorySource('toddle/'), via: 'cli' })
 */
export async function importToddle(options: ToddleImportOptions): Promise<ToddleImportResult> {
  const { db, source } = options
  await requireOrg(db, options.orgSourcedId)
  const present = [...REFERENCE_RESOURCES, ...DATA].filter((r) => source.has(r))
  const run = await startRun(db, {
    source: source.kind,
    origin: source.origin,
    via: options.via,
    orgSourcedId: options.orgSourcedId,
    startedBy: options.startedBy ?? null,
    filesTotal: present.length,
  })
  const problems: string[] = []
  let hard = 0
  let unmatched = 0
  const problem = (line: string, isHard = true): void => {
    problems.push(line)
    run.problem(line)
    if (isHard) hard++
    else unmatched++
  }
  const written: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 }
  const report = (): void => options.onProgress?.({ ...run.counts })
  try {
    for (const resource of REQUIRED) {
      if (!source.has(resource))
        problem(
          problemLine(
            source.label(resource),
            null,
            null,
            'missing: campus needs it to read term grades and attendance',
          ),
        )
    }
    const ref = await readReference(options, run, problem, report)
    await db
      .transaction(async (txAny) => {
        const tx = txAny as unknown as Database
        for (const resource of DATA) {
          if (!source.has(resource)) continue
          const counts = await importResults(
            tx,
            options,
            run,
            ref,
            resource,
            problem,
            () => hard === 0 && (unmatched === 0 || !!options.allowUnmatched),
          )
          written.inserted += counts.inserted
          written.updated += counts.updated
          written.unchanged += counts.unchanged
          run.counts.filesDone++
          if (options.liveRunProgress) await run.progress(true)
          report()
        }
        if (hard > 0 || options.dryRun || (unmatched > 0 && !options.allowUnmatched)) {
          throw new Rollback()
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error
      })
  } catch (error) {
    await run.finish('failed', (error as Error).message)
    throw error
  }
  const wroteNothing = written.inserted + written.updated + written.unchanged === 0
  const failed = hard > 0 || (unmatched > 0 && (!options.allowUnmatched || wroteNothing))
  let summary: string
  let status: ToddleImportResult['status']
  if (failed) {
    status = 'failed'
    summary = `${source.origin}: ${problems.length} problem(s); nothing was written`
    run.counts.rowsInserted = 0
    run.counts.rowsUpdated = 0
    run.counts.rowsUnchanged = 0
  } else {
    status = options.dryRun ? 'dry-run' : 'succeeded'
    summary =
      `${source.origin}: ${run.counts.rowsRead} items read; ` +
      `${options.dryRun ? 'would insert' : 'inserted'} ${written.inserted}, ` +
      `${options.dryRun ? 'would update' : 'updated'} ${written.updated}, unchanged ${written.unchanged}` +
      (unmatched > 0
        ? `; ${unmatched} rows named no learner of ${options.orgSourcedId} and were skipped`
        : '') +
      (options.dryRun ? ' (dry run: nothing was written)' : '')
  }
  await run.finish(status, failed ? summary : undefined)
  report()
  return { runId: run.id, status, counts: { ...run.counts }, problems, summary }
}
