/**
 * A rendered chart on a page: the SVG, its caption, and the data as a table behind a
 * disclosure, so the numbers reach readers the picture does not.
 *
 * @module
 */
import { raw } from 'hono/html'
import type { RenderedChart } from './types.js'

/**
 * `<figure class="chart">` with the SVG (already escaped and cleaned by the renderer, so printed
 * raw), a `<figcaption>` and a `<details>` data table.
 * @example <ChartFigure chart={barChart({ title, description, bars })} />
 */
export function ChartFigure({ chart }: { chart: RenderedChart }) {
  const { table } = chart
  return (
    <figure class="chart">
      {raw(chart.svg)}
      <figcaption>{chart.title}</figcaption>
      <details>
        <summary>Data table</summary>
        <table class="chart-data">
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.headers.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr>
                {row.map((cell, i) =>
                  i === 0 ? <th scope="row">{String(cell)}</th> : <td>{String(cell)}</td>,
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
