/**
 * What every chart renderer returns: an accessible SVG and the same data as a table.
 *
 * @module
 */

/** The data behind a chart, for the `<details>` fallback and for screen readers. */
export interface ChartTable {
  caption: string
  headers: string[]
  rows: (string | number)[][]
}

/** A rendered chart: `svg` is a complete, CSP-safe `<svg role="img">` with `<title>`/`<desc>`. */
export interface RenderedChart {
  svg: string
  table: ChartTable
  title: string
  description: string
}
