/**
 * Command-line progress of an import: files done, rows read and rows per second, from the
 * counters of an {@link ImportRun}. On a terminal a cli-progress bar redrawn in place; anywhere
 * else (CI logs, pipes) one plain line at most every few seconds and a last one at the end, so
 * logs stay short.
 *
 * @module
 */
import cliProgress from 'cli-progress'
import type { ImportRun } from './runs.js'

/** Where progress is written (`process.stdout` or a test's collector). */
export interface ProgressOutput {
  write(chunk: string): unknown
  isTTY?: boolean
}

/** A running progress display. */
export interface ProgressDisplay {
  /** Redraws now (e.g. after a file finished). */
  update(): void
  /** Stops the display and writes the final line. */
  stop(): void
}

/** Seconds between plain (non-terminal) progress lines. */
const PLAIN_INTERVAL_MS = 2000
/** Redraws per second of the terminal bar. */
const BAR_INTERVAL_MS = 200

/** One line describing the run's counters. */
export function describeProgress(run: ImportRun, label: string): string {
  const c = run.counts
  const rate = Math.round(run.rowsPerSecond())
  return `${label}: files ${c.filesDone}/${c.filesTotal}, ${c.rowsRead} rows read (${rate} rows/s)`
}

/**
 * Shows the run's progress on `out` until `stop()`.
 *
 * @example
 * const display = showRunProgress(run, process.stdout, 'oneroster')
 * try { await importSet(...) } finally { display.stop() }
 */
export function showRunProgress(
  run: ImportRun,
  out: ProgressOutput,
  label: string,
): ProgressDisplay {
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        // A TTY stdout is a real stream; cli-progress wants Node's stream type.
        stream: out as NodeJS.WritableStream,
        format: `${label} [{bar}] files {value}/{total} | {rows} rows | {rate} rows/s | {file}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    )
    bar.start(run.counts.filesTotal, 0, { rows: 0, rate: 0, file: '' })
    const draw = (): void => {
      bar.setTotal(run.counts.filesTotal)
      bar.update(run.counts.filesDone, {
        rows: run.counts.rowsRead,
        rate: Math.round(run.rowsPerSecond()),
        file: currentFile.get(run) ?? '',
      })
    }
    const timer = setInterval(draw, BAR_INTERVAL_MS)
    timer.unref()
    return {
      update: draw,
      stop: () => {
        clearInterval(timer)
        draw()
        bar.stop()
      },
    }
  }
  let last = Date.now()
  const timer = setInterval(() => {
    last = Date.now()
    out.write(`${describeProgress(run, label)}\n`)
  }, PLAIN_INTERVAL_MS)
  timer.unref()
  return {
    update: () => {
      if (Date.now() - last >= PLAIN_INTERVAL_MS) {
        last = Date.now()
        out.write(`${describeProgress(run, label)}\n`)
      }
    },
    stop: () => {
      clearInterval(timer)
      out.write(`${describeProgress(run, label)}\n`)
    },
  }
}

// The file being read, per run, for the bar's label; set by importers through setCurrentFile.
const currentFile = new WeakMap<ImportRun, string>()

/** Names the file an importer is reading now, for the progress bar. */
export function setCurrentFile(run: ImportRun, file: string): void {
  currentFile.set(run, file)
}
