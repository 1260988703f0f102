/**
 * The one place ECharts runs: server-side SVG rendering (no DOM, no canvas), animation off,
 * always disposed, and the result cleaned for accessibility and the CSP (`svg-clean.ts`).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type {
  BarSeriesOption,
  CustomSeriesOption,
  GridComponentOption,
  LegendComponentOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts'
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { type ComposeOption, init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { cleanSvg } from './svg-clean.js'

use([BarChart, CustomChart, LineChart, ScatterChart, GridComponent, LegendComponent, SVGRenderer])

/** The ECharts options campus's charts use. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
>

/** Default size; the SVG has a viewBox, so the page may scale it. */
export const CHART_WIDTH = 640
export const CHART_HEIGHT = 360

/** Series colours with at least 4.5:1 contrast on white, in the page's palette. */
export const PALETTE = ['#0a5bd3', '#cf222e', '#1a7f37', '#8250df', '#9a6700']
/** Axis and label ink (the page's `--muted`). */
export const INK = '#57606a'
const FONT = 'system-ui, sans-serif'

/**
 * Renders `option` to a cleaned SVG. The title is not drawn inside the chart (the figure's
 * caption says it); it goes to `<title>`.
 */
export function renderSvg(
  kind: string,
  option: ChartOption,
  labels: { title: string; description: string },
  size: { width?: number; height?: number } = {},
): string {
  const width = size.width ?? CHART_WIDTH
  const height = size.height ?? CHART_HEIGHT
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: INK, fontSize: 12 },
      ...option,
    })
    // ECharts numbers ids and classes per instance and per process; the cleaned SVG (classes
    // dropped, ids on a placeholder) is hashed, so the same input gives the same SVG while
    // different charts on one page get different ids.
    const placeholder = 'chart-id-placeholder'
    const cleaned = cleanSvg(chart.renderToSVGString(), { ...labels, idPrefix: placeholder })
    const idPrefix = `ch${createHash('sha256')
      .update(JSON.stringify([kind, cleaned]))
      .digest('hex')
      .slice(0, 10)}`
    return cleaned.replaceAll(placeholder, idPrefix)
  } finally {
    chart.dispose()
  }
}
