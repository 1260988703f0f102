/**
 * Server-rendered, accessible, CSP-safe SVG charts (ECharts SSR) with data-table fallbacks.
 * See docs/analytics.md ("Charts").
 *
 * @module
 */
export { barChart, lineChart } from './categorical.js'
export { histogramChart, qqChart, stripChart } from './distribution.js'
export { ChartFigure } from './figure.js'
export type { ChartTable, RenderedChart } from './types.js'
