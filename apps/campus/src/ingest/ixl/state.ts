/**
 * The state of one IXL import as it reads: the run, the problems so far, and what was written.
 *
 * @module
 */
import type { ImportRun } from '../runs.js'
import type { UpsertCounts } from '../upsert.js'

/** One import's running state. */
export interface State {
  run: ImportRun
  file: string
  layout: string | null
  problems: string[]
  /** Rows with problems other than "no learner": these always refuse the file. */
  hardProblems: number
  unmatched: number
  written: UpsertCounts
  /** Learner + period already seen in this file, with the row that had it. */
  seen: Map<string, number>
}

/**
 * Records a problem. `hard` problems always refuse the file; the others are rows that match no
 * learner, which `--allow-unmatched` lets the import skip.
 */
export function addProblem(state: State, line: string, hard: boolean): void {
  state.problems.push(line)
  state.run.problem(line)
  if (hard) state.hardProblems++
}
