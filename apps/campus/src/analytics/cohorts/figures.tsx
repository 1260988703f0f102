/**
 * The charts of one cohort, rendered on the server as SVG by the charts module (each with a
 * title, a description and a data-table fallback): a histogram with Freedman–Diaconis bins, the
 * kernel density and, only when the validity assessment allows one, the fitted normal; below 20
 * scores a strip plot of the scores themselves instead; and a normal Q–Q plot.
 *
 * @module
 */
import {
  ChartFigure,
  histogramChart,
  qqChart,
  type RenderedChart,
  stripChart,
} from '../charts/index.js'
import { fmt, scoreLabel } from './format.js'
import type { CohortReport } from './report.js'

/** The unit printed on axes and in tables. */
function unitOf(report: CohortReport): string | undefined {
  return report.scores.score === 'quiz' ? '%' : undefined
}

/** Renders the charts of a cohort in the `ok` state; none otherwise. */
export function cohortCharts(report: CohortReport, values: readonly number[]): RenderedChart[] {
  const stats = report.stats
  if (report.state !== 'ok' || stats === null) return []
  const what = `${report.cohort.label}, ${scoreLabel(report.scores)}`
  const n = stats.summary.n
  const unit = unitOf(report)
  const charts: RenderedChart[] = []
  if (stats.histogram) {
    const h = stats.histogram
    const tallest = h.counts.indexOf(Math.max(...h.counts))
    const overlays = [
      stats.density ? 'a kernel density curve' : null,
      stats.normal
        ? 'a fitted normal curve'
        : 'no fitted normal curve (the validity notes say why)',
    ].filter((x) => x !== null)
    charts.push(
      histogramChart({
        title: `Distribution of ${what}`,
        description: `Histogram of ${n} scores in ${h.counts.length} bins of width ${fmt(h.binWidth, 2)} from ${fmt(h.edges[0])} to ${fmt(h.edges[h.edges.length - 1])}; the tallest bin, ${fmt(h.edges[tallest])} to ${fmt(h.edges[tallest + 1])}, holds ${h.counts[tallest]} scores. Drawn with ${overlays.join(' and ')}.`,
        histogram: h,
        ...(stats.normal ? { normal: stats.normal } : {}),
        ...(stats.density ? { density: stats.density } : {}),
        ...(unit ? { unit } : {}),
      }),
    )
  } else {
    charts.push(
      stripChart({
        title: `Scores of ${what}`,
        description: `Each of the ${n} scores as a dot, from ${fmt(stats.summary.min)} to ${fmt(stats.summary.max)}, median ${fmt(stats.summary.median)}: too few scores for a histogram.`,
        values,
        ...(unit ? { unit } : {}),
      }),
    )
  }
  charts.push(
    qqChart({
      title: `Normal Q–Q plot of ${what}`,
      description: `The ${n} sorted scores against the quantiles of a normal distribution (Blom positions); points on a straight line mean normally distributed scores, curvature means skew, flat runs mean ties.`,
      points: stats.qq,
    }),
  )
  return charts
}

/** The figures, each with its data-table fallback. */
export function CohortCharts(props: { report: CohortReport; values: readonly number[] }) {
  const charts = cohortCharts(props.report, props.values)
  if (charts.length === 0) return null
  return (
    <>
      {charts.map((chart) => (
        <ChartFigure chart={chart} />
      ))}
    </>
  )
}
