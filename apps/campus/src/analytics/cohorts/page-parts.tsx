/**
 * Pieces of the cohort pages: the validity statement, the summary and percentile tables and the
 * per-group table with its suppressed cells.
 *
 * @module
 */
import { fmt, fmtP } from './format.js'
import type { CohortReport, CohortStats, GroupRow } from './report.js'

/** The sentence saying which figures lead and whether a bell curve is drawn. */
export function leadStatement(stats: CohortStats): string {
  const { validity } = stats
  if (validity.leadWith === 'median') {
    return 'Read the median and the interquartile range first, with the scores themselves; a fitted normal (bell) curve would misdescribe these scores, so none is drawn.'
  }
  const sw = validity.shapiroWilk
  const test = sw ? ` (Shapiro–Wilk W = ${fmt(sw.w, 3)}, ${fmtP(sw.p)})` : ''
  if (validity.showBell) {
    return `The scores are consistent with a normal distribution${test}: the mean and its 95 % confidence interval describe them, and a fitted normal curve is drawn over the histogram.`
  }
  return `Normality is not rejected${test}, so the mean leads, but the scores are too coarse or bounded for a fitted bell curve to be honest; none is drawn.`
}

/** The validity notes and the lead statement. */
export function ValiditySection({ stats }: { stats: CohortStats }) {
  return (
    <section aria-labelledby="validity" class="notice validity">
      <h2 id="validity">How to read these numbers</h2>
      <p data-lead={stats.validity.leadWith}>{leadStatement(stats)}</p>
      {stats.validity.notes.length > 0 ? (
        <ul>
          {stats.validity.notes.map((note) => (
            <li data-note={note.code}>{note.message}</li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}

/** The summary table, median/IQR first or mean/CI first as the validity assessment says. */
export function SummaryTable({ stats }: { stats: CohortStats }) {
  const s = stats.summary
  const ci = s.meanCi95 ? `${fmt(s.meanCi95[0])} to ${fmt(s.meanCi95[1])}` : '–'
  const median = [
    ['Median', fmt(s.median)],
    ['Interquartile range', `${fmt(s.iqr)} (Q1 ${fmt(s.q1)}, Q3 ${fmt(s.q3)})`],
  ]
  const mean = [
    ['Mean', fmt(s.mean)],
    ['95 % confidence interval of the mean (t)', ci],
    ['Standard deviation', fmt(s.sd)],
  ]
  const shape = [
    ['Minimum – maximum', `${fmt(s.min)} – ${fmt(s.max)}`],
    ['Skewness', fmt(s.skewness, 2)],
    ['Excess kurtosis', fmt(s.excessKurtosis, 2)],
    [
      'Shapiro–Wilk',
      stats.validity.shapiroWilk
        ? `W = ${fmt(stats.validity.shapiroWilk.w, 3)}, ${fmtP(stats.validity.shapiroWilk.p)}`
        : 'not computed',
    ],
  ]
  const rows = stats.validity.leadWith === 'median' ? [...median, ...mean] : [...mean, ...median]
  return (
    <table class="attempts summary">
      <caption>Summary of {s.n} scores</caption>
      <tbody>
        {[['Learners with a score', String(s.n)], ...rows, ...shape].map(([name, value]) => (
          <tr>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The percentile table. */
export function PercentileTable({ stats }: { stats: CohortStats }) {
  const p = stats.summary.percentiles
  const cells: [string, number][] = [
    ['5th', p.p5],
    ['10th', p.p10],
    ['25th', p.p25],
    ['50th', p.p50],
    ['75th', p.p75],
    ['90th', p.p90],
    ['95th', p.p95],
  ]
  return (
    <table class="attempts percentiles">
      <caption>Percentiles (R type 7)</caption>
      <thead>
        <tr>
          {cells.map(([name]) => (
            <th scope="col">{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {cells.map(([, value]) => (
            <td>{fmt(value)}</td>
          ))}
        </tr>
      </tbody>
    </table>
  )
}

function hiddenText(row: GroupRow, minN: number): string {
  return row.suppressed === 'small'
    ? `hidden (fewer than ${minN})`
    : 'hidden (so a small group cannot be worked out from the total)'
}

/** The per-group table: n, median and mean per group, hidden cells marked, and the total. */
export function GroupTable({ report }: { report: CohortReport }) {
  if (report.by === null || report.groups.length === 0) return null
  return (
    <section aria-labelledby="groups">
      <h2 id="groups">By {report.by}</h2>
      <table class="attempts groups">
        <thead>
          <tr>
            <th scope="col">
              {report.by === 'class' ? 'Class' : report.by === 'grade' ? 'Grade' : 'School'}
            </th>
            <th scope="col">Learners</th>
            <th scope="col">Median</th>
            <th scope="col">Mean</th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((row) => (
            <tr
              data-group={row.key}
              data-suppressed={row.suppressed === false ? 'no' : row.suppressed}
            >
              <th scope="row">{row.label}</th>
              {row.n === null ? (
                <td colspan={3}>{hiddenText(row, report.minCohortSize)}</td>
              ) : (
                <>
                  <td>{row.n}</td>
                  <td>{fmt(row.median)}</td>
                  <td>{fmt(row.mean)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-group="total">
            <th scope="row">Total</th>
            <td>{report.n}</td>
            <td>{fmt(report.stats?.summary.median)}</td>
            <td>{fmt(report.stats?.summary.mean)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  )
}
