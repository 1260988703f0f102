/**
 * Charts of one sample's distribution: histogram (with optional fitted normal and KDE overlays),
 * normal Q–Q plot with its reference line, and a strip plot for small samples.
 *
 * @module
 */
import { quantileSorted } from 'simple-statistics'
import { normalQuantile } from '../stats/distributions.js'
import type { Curve, Histogram, QQPoint } from '../stats/index.js'
import { decimalsFor, round, withUnit } from './format.js'
import { type ChartOption, INK, PALETTE, renderSvg } from './render.js'
import type { RenderedChart } from './types.js'

const GRID = { left: 56, right: 24, top: 32, bottom: 48, containLabel: false }
const AXIS = {
  // Axes at the plot's edge, not through zero (Q–Q quantiles and strip offsets cross it).
  axisLine: { onZero: false, lineStyle: { color: INK } },
  axisLabel: { color: INK },
  splitLine: { lineStyle: { color: '#d0d7de' } },
  nameTextStyle: { color: INK },
}

function curveSeries(name: string, curve: Curve, color: string, dashed: boolean, factor = 1) {
  return {
    type: 'line' as const,
    name,
    data: curve.x.map((x, i) => [x, curve.y[i]! * factor]),
    showSymbol: false,
    smooth: false,
    lineStyle: { color, width: 2, type: dashed ? ('dashed' as const) : ('solid' as const) },
    itemStyle: { color },
  }
}

/**
 * A histogram of `histogram`'s bins. `normal` is drawn as given (use `normalCurve` with scale
 * n · binWidth); `density` is a density (as `kernelDensity` returns) and is drawn times
 * n · binWidth so it sits on the same count scale.
 */
export function histogramChart(input: {
  title: string
  description: string
  histogram: Histogram
  normal?: Curve
  density?: Curve
  unit?: string
}): RenderedChart {
  const { histogram: h } = input
  const n = h.counts.reduce((a, b) => a + b, 0)
  const bars = h.counts.map((count, i) => [h.edges[i]!, h.edges[i + 1]!, count])
  const series: NonNullable<ChartOption['series']> = [
    {
      type: 'custom',
      name: 'Count',
      data: bars,
      encode: { x: [0, 1], y: 2 },
      renderItem: (_params, api) => {
        const [x0, y0] = api.coord([api.value(0), 0])
        const [x1, y1] = api.coord([api.value(1), api.value(2)])
        return {
          type: 'rect',
          shape: { x: x0!, y: y1!, width: x1! - x0!, height: y0! - y1! },
          style: { fill: PALETTE[0], stroke: '#ffffff', lineWidth: 1 },
        }
      },
    },
  ]
  if (input.normal) series.push(curveSeries('Fitted normal', input.normal, PALETTE[1]!, true))
  if (input.density) {
    series.push(curveSeries('Density (KDE)', input.density, PALETTE[2]!, false, n * h.binWidth))
  }
  const min = h.edges[0]!
  const max = h.edges.at(-1)!
  const option: ChartOption = {
    grid: GRID,
    legend: series.length > 1 ? { top: 0, textStyle: { color: INK } } : { show: false },
    xAxis: {
      type: 'value',
      min,
      max,
      name: withUnit('Value', input.unit),
      nameLocation: 'middle',
      nameGap: 28,
      ...AXIS,
    },
    yAxis: { type: 'value', name: 'Count', minInterval: 1, ...AXIS },
    series,
  }
  const d = decimalsFor(h.binWidth)
  return {
    svg: renderSvg('histogram', option, input),
    title: input.title,
    description: input.description,
    table: {
      caption: input.title,
      headers: [withUnit('From', input.unit), withUnit('To', input.unit), 'Count'],
      rows: h.counts.map((c, i) => [round(h.edges[i]!, d), round(h.edges[i + 1]!, d), c]),
    },
  }
}

/**
 * A normal Q–Q plot with the reference line through the first and third quartiles (as R's
 * `qqline`): points near the line mean the sample looks normal.
 */
export function qqChart(input: {
  title: string
  description: string
  points: readonly QQPoint[]
}): RenderedChart {
  const pts = input.points
  const series: NonNullable<ChartOption['series']> = [
    {
      type: 'scatter',
      name: 'Values',
      data: pts.map((p) => [p.theoretical, p.sample]),
      symbolSize: 6,
      itemStyle: { color: PALETTE[0] },
    },
  ]
  if (pts.length >= 2) {
    const sample = pts.map((p) => p.sample).sort((a, b) => a - b)
    const q1 = quantileSorted(sample, 0.25)
    const q3 = quantileSorted(sample, 0.75)
    const z1 = normalQuantile(0.25)
    const slope = (q3 - q1) / (-2 * z1)
    const intercept = q1 - slope * z1
    const xs = [pts[0]!.theoretical, pts.at(-1)!.theoretical]
    series.push({
      type: 'line',
      name: 'Normal reference',
      data: xs.map((x) => [x, intercept + slope * x]),
      showSymbol: false,
      lineStyle: { color: PALETTE[1], width: 2, type: 'dashed' },
      itemStyle: { color: PALETTE[1] },
    })
  }
  const option: ChartOption = {
    grid: GRID,
    legend: { show: false },
    xAxis: {
      type: 'value',
      name: 'Theoretical normal quantile',
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...AXIS,
    },
    yAxis: { type: 'value', name: 'Sample value', scale: true, ...AXIS },
    series,
  }
  return {
    svg: renderSvg('qq', option, input),
    title: input.title,
    description: input.description,
    table: {
      caption: input.title,
      headers: ['Theoretical normal quantile', 'Sample value'],
      rows: pts.map((p) => [round(p.theoretical, 3), p.sample]),
    },
  }
}

/** Vertical offset of the k-th point (golden-ratio sequence): spread, but the same every time. */
function jitter(k: number): number {
  return ((k * 0.6180339887498949) % 1) - 0.5
}

/**
 * Every value as a dot on one axis, for small samples where a histogram would mislead. Dots are
 * spread vertically by a fixed sequence rather than at random, so the same data draws the same
 * picture (and the same SVG) every time.
 */
export function stripChart(input: {
  title: string
  description: string
  values: readonly number[]
  unit?: string
}): RenderedChart {
  const sorted = [...input.values].sort((a, b) => a - b)
  const option: ChartOption = {
    grid: { ...GRID, top: 16 },
    legend: { show: false },
    xAxis: {
      type: 'value',
      name: withUnit('Value', input.unit),
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...AXIS,
    },
    yAxis: { type: 'value', min: -1, max: 1, show: false },
    series: [
      {
        type: 'scatter',
        name: 'Values',
        data: sorted.map((v, k) => [v, jitter(k + 1)]),
        symbolSize: 9,
        itemStyle: { color: PALETTE[0], opacity: 0.75, borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
  }
  return {
    svg: renderSvg('strip', option, input, { height: 200 }),
    title: input.title,
    description: input.description,
    table: {
      caption: input.title,
      headers: [withUnit('Value', input.unit)],
      rows: sorted.map((v) => [v]),
    },
  }
}
