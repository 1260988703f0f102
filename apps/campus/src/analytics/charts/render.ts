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
import { LRUCache } from 'lru-cache'
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
 * Rendered SVGs by their input. Rendering is a pure function of the kind, the option (whose only
 * function, the histogram's `renderItem`, is the same code for every histogram), the labels and
 * the size, and costs milliseconds per chart, while a cohort page shows the same charts until its
 * data changes. A bounded in-process memo rather than the shared cache: each SVG is tens of KB
 * and cheap to recompute, so sending it through Redis would trade a few ms of CPU for egress.
 */
const rendered = new LRUCache<string, string>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (svg) => svg.length,
})

/**
 * Renders `option` to a cleaned SVG (or returns the one rendered for the same input). The title
 * is not drawn inside the chart (the figure's caption says it); it goes to `<title>`.
 */
export function renderSvg(
  kind: string,
  option: ChartOption,
  labels: { title: string; description: string },
  size: { width?: number; height?: number } = {},
): string {
  const width = size.width ?? CHART_WIDTH
  const height = size.height ?? CHART_HEIGHT
  const key = createHash('sha256')
    .update(JSON.stringify([kind, option, labels.title, labels.description, width, height]))
    .digest('base64')
  const known = rendered.get(key)
  if (known !== undefined) {
    counts.reused++
    return known
  }
  const svg = draw(kind, option, labels, { width, height })
  counts.drawn++
  rendered.set(key, svg)
  return svg
}

const counts = { drawn: 0, reused: 0 }

/** Empties the memo (so a test can see ECharts draw the same input twice). */
export function forgetRenderedCharts(): void {
  rendered.clear()
}

/** Charts drawn by ECharts and charts answered from the memo since the process started. */
export function renderCounts(): { readonly drawn: number; readonly reused: number } {
  return { ...counts }
}

function draw(
  kind: string,
  option: ChartOption,
  labels: { title: string; description: string },
  { width, height }: { width: number; height: number },
): string {
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
