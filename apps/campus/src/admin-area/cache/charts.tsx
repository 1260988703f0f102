/**
 * Small SVG charts drawn on the server (no client script, no chart library at run time): a line
 * chart for series over time and a bar chart for counts by label. Each is an `<svg role="img">`
 * with a `<title>` and an `aria-label`; the page prints the key numbers beside them.
 *
 * @module
 */

const WIDTH = 640
const HEIGHT = 200
const PAD = { left: 48, right: 12, top: 12, bottom: 28 }

/** One line of a {@link LineChart}: y values per x (null = no data at that point). */
export interface Series {
  readonly name: string
  readonly color: string
  readonly points: readonly (readonly [x: number, y: number | null])[]
}

function ticks(max: number): number[] {
  return [0, max / 2, max]
}

function formatTick(value: number): string {
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`
  if (value >= 10 || value === 0) return String(Math.round(value))
  return String(Math.round(value * 100) / 100)
}

/** A line chart of `series` sharing one x range (epoch ms) and a y range from 0 to `yMax`. */
export function LineChart(props: {
  title: string
  series: readonly Series[]
  yMax?: number
  yUnit?: string
}) {
  const xs = props.series.flatMap((s) => s.points.map(([x]) => x))
  const ys = props.series.flatMap((s) => s.points.map(([, y]) => y ?? 0))
  const xMin = xs.length > 0 ? Math.min(...xs) : 0
  const xMax = xs.length > 0 ? Math.max(...xs) : 1
  // At least 1 so an all-zero series (no errors) still has a readable axis.
  const yMax = props.yMax ?? Math.max(1, Math.max(...ys, 0) * 1.1)
  const w = WIDTH - PAD.left - PAD.right
  const h = HEIGHT - PAD.top - PAD.bottom
  const px = (x: number) => PAD.left + (xMax === xMin ? w : ((x - xMin) / (xMax - xMin)) * w)
  const py = (y: number) => PAD.top + h - (Math.min(y, yMax) / yMax) * h
  const path = (s: Series): string => {
    let d = ''
    let pen = false
    for (const [x, y] of s.points) {
      if (y === null) {
        pen = false
        continue
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)} `
      pen = true
    }
    return d.trim()
  }
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={props.title}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{props.title}</title>
        {ticks(yMax).map((t) => (
          <g>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={py(t)} y2={py(t)} stroke="#d0d7de" />
            <text x={PAD.left - 6} y={py(t) + 4} text-anchor="end" font-size="11" fill="#57606a">
              {`${formatTick(t)}${props.yUnit ?? ''}`}
            </text>
          </g>
        ))}
        {props.series.map((s) => (
          <g>
            <path d={path(s)} fill="none" stroke={s.color} stroke-width="2" />
            {/* Dots too: a series of one sample has no line to draw. */}
            {s.points.map(([x, y]) =>
              y === null ? null : <circle cx={px(x)} cy={py(y)} r="3" fill={s.color} />,
            )}
          </g>
        ))}
        {xs.length === 0 ? (
          <text x={WIDTH / 2} y={HEIGHT / 2} text-anchor="middle" fill="#57606a">
            no samples yet
          </text>
        ) : null}
      </svg>
      <figcaption>
        {props.title}
        {props.series.map((s) => (
          <span class="legend">
            {/* An SVG swatch: a style attribute would be refused by the CSP. */}
            <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" rx="2" fill={s.color} />
            </svg>{' '}
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

/** One bar of a {@link BarChart}. */
export interface Bar {
  readonly label: string
  readonly value: number
}

/**
 * Characters of a bar's label that fit its 200-unit column at 12px (about 6.5 units a glyph):
 * longer labels keep their end (where item and question names differ), with the whole label in
 * the text's `<title>`.
 */
const LABEL_CHARS = 29

function fitLabel(label: string): string {
  return label.length <= LABEL_CHARS ? label : `…${label.slice(label.length - LABEL_CHARS + 1)}`
}

/** A horizontal bar chart, one row per bar. */
export function BarChart(props: { title: string; bars: readonly Bar[]; unit?: string }) {
  const rowHeight = 22
  const height = Math.max(1, props.bars.length) * rowHeight + 8
  const labelWidth = 200
  const max = Math.max(1, ...props.bars.map((b) => b.value))
  const w = WIDTH - labelWidth - 60
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={props.title}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{props.title}</title>
        {props.bars.length === 0 ? (
          <text x={WIDTH / 2} y={16} text-anchor="middle" fill="#57606a">
            nothing to show
          </text>
        ) : null}
        {props.bars.map((bar, i) => {
          const y = 4 + i * rowHeight
          return (
            <g>
              <text x={labelWidth - 8} y={y + 15} text-anchor="end" font-size="12" fill="#1b1f24">
                <title>{bar.label}</title>
                {fitLabel(bar.label)}
              </text>
              <rect
                x={labelWidth}
                y={y + 3}
                width={Math.max(1, (bar.value / max) * w)}
                height={rowHeight - 6}
                fill="#0a5bd3"
              />
              <text
                x={labelWidth + Math.max(1, (bar.value / max) * w) + 6}
                y={y + 15}
                font-size="12"
                fill="#57606a"
              >
                {`${bar.value}${props.unit ?? ''}`}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  )
}
