/**
 * A cohort's report, from its observations and the small-cohort threshold: the state the page is
 * in (suppressed, no data, not enough data, no spread, or statistics), the summary, the validity
 * assessment and the plot data, and the per-group table with small and complementary
 * suppression. Pure: the page and its JSON twin render the same object.
 *
 * @module
 */
import {
  assessValidity,
  type Curve,
  freedmanDiaconis,
  type Histogram,
  kernelDensity,
  normalCurve,
  type QQPoint,
  qqPoints,
  type Summary,
  summarize,
  suppressCells,
  type Validity,
} from '../stats/index.js'
import type { ResolvedCohort } from './access.js'
import type { Breakdown, ScoreQuery, ScoreSource } from './params.js'
import type { CohortData, Observation } from './queries.js'

/** What a page can show for a cohort. */
export type CohortState =
  /** Fewer than the threshold: no chart, no statistics, not even the exact n. */
  | 'suppressed'
  /** Nobody in the cohort has a score. */
  | 'no-data'
  /** 1 or 2 scores (reachable only with a threshold below 3, e.g. in a comparison's parts). */
  | 'not-enough-data'
  /** Every score is the same: nothing to chart. */
  | 'identical'
  | 'ok'

/** Statistics and plot data of a cohort in the `ok` state. */
export interface CohortStats {
  readonly summary: Summary
  readonly validity: Validity
  /** Freedman–Diaconis bins, when the validity assessment asks for a histogram. */
  readonly histogram: Histogram | null
  /** Fitted normal scaled to the histogram, only when a bell is defensible. */
  readonly normal: Curve | null
  /** Kernel density (integrates to 1; the chart scales it to the histogram's counts). */
  readonly density: Curve | null
  readonly qq: readonly QQPoint[]
}

/** One row of the per-group table. */
export interface GroupRow {
  readonly key: string
  readonly label: string
  /** null when hidden. */
  readonly n: number | null
  readonly suppressed: false | 'small' | 'complementary'
  readonly median: number | null
  readonly mean: number | null
}

/** Everything a cohort page shows. */
export interface CohortReport {
  readonly cohort: ResolvedCohort
  readonly scores: ScoreQuery
  readonly minCohortSize: number
  readonly state: CohortState
  /** One plain sentence saying what the state means. */
  readonly message: string
  /** Learners with a numeric score; null when suppressed. */
  readonly n: number | null
  /** Learners in the cohort whose rows carry no numeric score; null when suppressed. */
  readonly missing: number | null
  /** Known bounds of the score's scale (quiz 0–100). */
  readonly scale: { readonly min: number; readonly max: number } | null
  readonly stats: CohortStats | null
  readonly by: Breakdown | null
  readonly groups: readonly GroupRow[]
}

/** Bounds of each source's scale; IXL levels and Toddle scores have none campus can rely on. */
export const SCALES: Readonly<Record<ScoreSource, { min: number; max: number } | null>> = {
  quiz: { min: 0, max: 100 },
  ixl: null,
  toddle: null,
}

const NO_GROUP = '(none)'

function groupKey(o: Observation, by: Breakdown): string {
  const value = by === 'class' ? o[1] : by === 'grade' ? o[2] : o[3]
  return value ?? NO_GROUP
}

function groupLabel(key: string, by: Breakdown, labels: Record<string, string>): string {
  if (key === NO_GROUP)
    return by === 'class' ? 'No class' : by === 'grade' ? 'No grade' : 'No school'
  return by === 'grade' ? `Grade ${key}` : (labels[key] ?? key)
}

/** Statistics of values already known to hold ≥ 3 numbers with some spread. */
export function cohortStats(values: readonly number[], scale: CohortReport['scale']): CohortStats {
  const summary = summarize(values)
  if (!summary) throw new RangeError('cohortStats needs values')
  const validity = assessValidity(values, scale ?? undefined)
  const histogram = validity.plot === 'histogram' ? freedmanDiaconis(values) : null
  const scaleBy = histogram ? values.length * histogram.binWidth : 1
  const first = histogram?.edges[0] ?? summary.min
  const last = histogram?.edges[histogram.edges.length - 1] ?? summary.max
  const normal =
    histogram && validity.showBell && summary.sd !== null
      ? normalCurve(summary.mean, summary.sd, [first, last], scaleBy)
      : null
  const kde = histogram ? kernelDensity(values) : null
  const density = kde ? { x: kde.x, y: kde.y } : null
  return { summary, validity, histogram, normal, density, qq: qqPoints(values) }
}

/** The state and its sentence for `n` numeric values. */
function stateOf(values: readonly number[], minN: number): { state: CohortState; message: string } {
  const n = values.length
  if (n > 0 && n < minN) {
    return {
      state: 'suppressed',
      message: `Fewer than ${minN} learners have a score here, so nothing is shown to protect their privacy.`,
    }
  }
  if (n === 0) return { state: 'no-data', message: 'Not enough data: nobody here has a score yet.' }
  if (n < 3) {
    return {
      state: 'not-enough-data',
      message: `Not enough data: ${n} score${n === 1 ? '' : 's'} cannot describe a distribution.`,
    }
  }
  if (values.every((v) => v === values[0])) {
    return {
      state: 'identical',
      message: `Not enough data to chart: all ${n} scores are ${values[0]}, so there is no spread.`,
    }
  }
  return { state: 'ok', message: '' }
}

/** The per-group table, with small and complementary suppression over the groups. */
function groupRows(
  observations: readonly Observation[],
  by: Breakdown,
  labels: Record<string, string>,
  minN: number,
): GroupRow[] {
  const groups = new Map<string, number[]>()
  for (const o of observations) {
    if (o[0] === null) continue
    const key = groupKey(o, by)
    const list = groups.get(key) ?? []
    list.push(o[0])
    groups.set(key, list)
  }
  const keys = [...groups.keys()].sort()
  const cells = suppressCells(
    keys.map((key) => ({ key, n: groups.get(key)?.length ?? 0 })),
    minN,
  )
  return cells.map((cell) => {
    const values = groups.get(cell.key) ?? []
    const summary = cell.suppressed === false ? summarize(values) : null
    return {
      key: cell.key,
      label: groupLabel(cell.key, by, labels),
      n: cell.suppressed === false ? cell.n : null,
      suppressed: cell.suppressed,
      median: summary?.median ?? null,
      mean: summary?.mean ?? null,
    }
  })
}

/**
 * Builds a cohort's report.
 * @example buildCohortReport(cohort, query, data, 'school', 10).state // 'ok' | 'suppressed' | …
 */
export function buildCohortReport(
  cohort: ResolvedCohort,
  scores: ScoreQuery,
  data: CohortData,
  by: Breakdown | null,
  minN: number,
): CohortReport {
  const values = numericValues(data)
  const missing = data.observations.length - values.length
  const { state, message } = stateOf(values, minN)
  const scale = SCALES[scores.score]
  const hidden = state === 'suppressed'
  return {
    cohort,
    scores,
    minCohortSize: minN,
    state,
    message,
    n: hidden ? null : values.length,
    missing: hidden ? null : missing,
    scale,
    stats: state === 'ok' ? cohortStats(values, scale) : null,
    by,
    groups: hidden || by === null ? [] : groupRows(data.observations, by, data.labels, minN),
  }
}

/** The numeric scores of a cohort's data (what the statistics were computed over). */
export function numericValues(data: CohortData): number[] {
  return data.observations.flatMap((o) => (o[0] === null ? [] : [o[0]]))
}
