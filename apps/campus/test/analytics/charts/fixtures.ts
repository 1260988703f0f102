/** One chart of every kind, from real statistics on deterministic samples. */
import {
  barChart,
  histogramChart,
  lineChart,
  qqChart,
  type RenderedChart,
  stripChart,
} from '../../../src/analytics/charts/index.js'
import {
  freedmanDiaconis,
  kernelDensity,
  normalCurve,
  qqPoints,
  summarize,
} from '../../../src/analytics/stats/index.js'
import { normals } from '../stats/samples.js'

/** 120 scores around 65 (one decimal). */
export const SCORES = normals(120, 9).map((v) => Math.round((65 + 12 * v) * 10) / 10)

/** Histogram with both overlays, Q–Q, strip, bar and line charts. */
export function allCharts(): Record<'histogram' | 'qq' | 'strip' | 'bar' | 'line', RenderedChart> {
  const h = freedmanDiaconis(SCORES)
  const s = summarize(SCORES)!
  const range: [number, number] = [h.edges[0]!, h.edges.at(-1)!]
  return {
    histogram: histogramChart({
      title: 'Final test scores',
      description: `Histogram of ${SCORES.length} scores with a fitted normal curve and a density estimate.`,
      histogram: h,
      normal: normalCurve(s.mean, s.sd!, range, SCORES.length * h.binWidth),
      density: kernelDensity(SCORES)!,
      unit: 'points',
    }),
    qq: qqChart({
      title: 'Normal Q–Q plot of final test scores',
      description: 'Sample values against normal quantiles; points near the line look normal.',
      points: qqPoints(SCORES),
    }),
    strip: stripChart({
      title: 'Scores of a small class',
      description: 'Each of 12 scores as a dot.',
      values: SCORES.slice(0, 12),
      unit: 'points',
    }),
    bar: barChart({
      title: 'Learners per class',
      description: 'Number of learners in each class.',
      bars: [
        { label: 'Class A', value: 31 },
        { label: 'Class B', value: 27 },
        { label: 'Class C', value: 12 },
      ],
    }),
    line: lineChart({
      title: 'Weekly mean score',
      description: 'Mean score per week for two cohorts; week 3 of cohort 2 has no data.',
      series: [
        {
          name: 'Cohort 1',
          points: [
            { x: 'Week 1', y: 61.5 },
            { x: 'Week 2', y: 64.25 },
            { x: 'Week 3', y: 66 },
          ],
        },
        {
          name: 'Cohort 2',
          points: [
            { x: 'Week 1', y: 58 },
            { x: 'Week 2', y: 59.75 },
            { x: 'Week 3', y: null },
          ],
        },
      ],
      unit: 'points',
    }),
  }
}
