/**
 * Progress lines of the import commands: rows read, rows per second and files done, at most once
 * a second (and once at the end), on stdout. A plain line rather than a redrawn bar because the
 * total of a streamed file is unknown until its end, and logs of CI jobs stay readable.
 *
 * @module
 */
import type { RunCounts } from '../ingest/runs.js'
import type { CommandOutput } from './seed.js'

/** A reporter to call with the run's counters; `done()` prints the final line. */
export interface ImportProgressReporter {
  update(counts: RunCounts): void
  done(counts: RunCounts): void
}

/** Creates a reporter that writes `label: N rows (R rows/s), files F/T`. */
export function createImportProgress(
  out: CommandOutput,
  label: string,
  now: () => number = () => performance.now(),
): ImportProgressReporter {
  const started = now()
  let last = started
  const line = (counts: RunCounts): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001)
    const rate = Math.round(counts.rowsRead / seconds)
    return `${label}: ${counts.rowsRead} rows (${rate} rows/s), files ${counts.filesDone}/${counts.filesTotal}\n`
  }
  return {
    update(counts) {
      const t = now()
      if (t - last < 1000) return
      last = t
      out.stdout.write(line(counts))
    },
    done(counts) {
      out.stdout.write(line(counts))
    },
  }
}
