/**
 * Bar and line charts of labelled values (e.g. one bar per class, one line per cohort over
 * weeks).
 *
 * @module
 */
import { withUnit } from './format.js'
import { type ChartOption, INK, renderSvg } from './render.js'
import type { RenderedChart } from './types.js'

const GRID = { left: 56, right: 24, top: 32, bottom: 56 }
const AXIS = {
  axisLine: { lineStyle: { color: INK } },
  axisLabel: { color: INK },
  splitLine: { lineStyle: { color: '#d0d7de' } },
  nameTextStyle: { color: INK },
}

/** One bar per label, in the order given. */
export function barChart(input: {
  title: string
  description: string
  bars: readonly { label: string; value: number }[]
  unit?: string
}): RenderedChart {
  const option: ChartOption = {
    grid: GRID,
    legend: { show: false },
    xAxis: {
      type: 'category',
      data: input.bars.map((b) => b.label),
      ...AXIS,
      axisLabel: { color: INK, interval: 0, hideOverlap: true },
    },
    yAxis: { type: 'value', name: withUnit('Value', input.unit), ...AXIS },
    series: [
      {
        type: 'bar',
        name: withUnit('Value', input.unit),
        data: input.bars.map((b) => b.value),
        barMaxWidth: 64,
      },
    ],
  }
  return {
    svg: renderSvg('bar', option, input),
    title: input.title,
    description: input.description,
    table: {
      caption: input.title,
      headers: ['Label', withUnit('Value', input.unit)],
      rows: input.bars.map((b) => [b.label, b.value]),
    },
  }
}

/**
 * One line per series over shared x labels (the union, in first-seen order). A null y is a gap,
 * not a zero; it shows as "–" in the table.
 */
export function lineChart(input: {
  title: string
  description: string
  series: readonly { name: string; points: readonly { x: string; y: number | null }[] }[]
  unit?: string
}): RenderedChart {
  const xs: string[] = []
  const seen = new Set<string>()
  for (const s of input.series) {
    for (const p of s.points) {
      if (!seen.has(p.x)) {
        seen.add(p.x)
        xs.push(p.x)
      }
    }
  }
  const lookup = input.series.map((s) => new Map(s.points.map((p) => [p.x, p.y])))
  const option: ChartOption = {
    grid: GRID,
    legend: input.series.length > 1 ? { top: 0, textStyle: { color: INK } } : { show: false },
    xAxis: { type: 'category', data: xs, boundaryGap: false, ...AXIS },
    yAxis: { type: 'value', name: withUnit('Value', input.unit), ...AXIS },
    series: input.series.map((s, i) => ({
      type: 'line' as const,
      name: s.name,
      data: xs.map((x) => lookup[i]!.get(x) ?? null),
      connectNulls: false,
      symbolSize: 6,
    })),
  }
  return {
    svg: renderSvg('line', option, input),
    title: input.title,
    description: input.description,
    table: {
      caption: input.title,
      headers: ['', ...input.series.map((s) => withUnit(s.name, input.unit))],
      rows: xs.map((x) => [x, ...lookup.map((m) => m.get(x) ?? '–')]),
    },
  }
}
