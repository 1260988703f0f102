import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import {
  barChart,
  ChartFigure,
  histogramChart,
  lineChart,
  type RenderedChart,
} from '../../../src/analytics/charts/index.js'
import { forgetRenderedCharts, renderCounts } from '../../../src/analytics/charts/render.js'
import { freedmanDiaconis } from '../../../src/analytics/stats/index.js'
import { allCharts, SCORES } from './fixtures.js'

type Node = Record<string, unknown>

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
})

function tagOf(node: Node): string {
  return Object.keys(node).find((k) => k !== ':@')!
}

/** Every element of the tree, depth first. */
function* elements(
  nodes: Node[],
): Generator<{ tag: string; attrs: Record<string, string>; node: Node }> {
  for (const node of nodes) {
    const tag = tagOf(node)
    if (tag.startsWith('#')) continue
    yield { tag, attrs: (node[':@'] ?? {}) as Record<string, string>, node }
    yield* elements(node[tag] as Node[])
  }
}

function textOf(node: Node): string {
  const tag = tagOf(node)
  return (node[tag] as Node[]).map((c) => String(c['#text'] ?? '')).join('')
}

function parse(svg: string): Node[] {
  return parser.parse(svg) as Node[]
}

function checkAccessibleSvg(chart: RenderedChart): void {
  const doc = parse(chart.svg)
  expect(doc.length).toBe(1)
  const root = doc[0]!
  expect(tagOf(root)).toBe('svg')
  const attrs = root[':@'] as Record<string, string>
  expect(attrs.role).toBe('img')
  expect(attrs.viewBox).toMatch(/^0 0 \d+ \d+$/)
  const kids = root.svg as Node[]
  // <title> and <desc> first, named by aria-labelledby.
  expect(tagOf(kids[0]!)).toBe('title')
  expect(textOf(kids[0]!)).toBe(chart.title)
  expect(tagOf(kids[1]!)).toBe('desc')
  expect(textOf(kids[1]!)).toBe(chart.description)
  const ids = attrs['aria-labelledby']!.split(' ')
  expect(ids).toEqual([
    (kids[0]![':@'] as Record<string, string>).id,
    (kids[1]![':@'] as Record<string, string>).id,
  ])
  const all = [...elements(doc)]
  // CSP-safe: no inline style attribute or element, no script, no event handler.
  for (const el of all) {
    expect(el.tag).not.toBe('style')
    expect(el.tag).not.toBe('script')
    expect(el.attrs.style).toBeUndefined()
    expect(Object.keys(el.attrs).filter((a) => a.startsWith('on'))).toEqual([])
  }
  // Every url(#…) reference points at an id of this SVG.
  const defined = new Set(all.map((e) => e.attrs.id).filter(Boolean))
  for (const el of all) {
    for (const v of Object.values(el.attrs)) {
      for (const m of v.matchAll(/url\(#([^)]+)\)/g)) expect(defined.has(m[1]!)).toBe(true)
    }
  }
  // Something is drawn.
  expect(all.filter((e) => e.tag === 'path' || e.tag === 'rect').length).toBeGreaterThan(3)
}

describe('charts', () => {
  const charts = allCharts()

  it.each(Object.keys(charts))('%s: one accessible, CSP-safe SVG root', (kind) => {
    checkAccessibleSvg(charts[kind as keyof typeof charts])
  })

  it('text keeps its size as presentation attributes (moved from style)', () => {
    const texts = [...elements(parse(charts.bar.svg))].filter((e) => e.tag === 'text')
    expect(texts.length).toBeGreaterThan(0)
    for (const t of texts) expect(t.attrs['font-size']).toMatch(/^\d+px$/)
  })

  it('is deterministic, and ids differ between charts', () => {
    // Drawn again by ECharts, not answered from the memo.
    forgetRenderedCharts()
    const drawn = renderCounts().drawn
    const again = allCharts()
    expect(renderCounts().drawn - drawn).toBe(Object.keys(charts).length)
    for (const kind of Object.keys(charts) as (keyof typeof charts)[]) {
      expect(again[kind].svg).toBe(charts[kind].svg)
    }
    const idsOf = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])
    const barIds = new Set(idsOf(charts.bar.svg))
    expect(barIds.size).toBeGreaterThan(1)
    expect(idsOf(charts.line.svg).filter((id) => barIds.has(id))).toEqual([])
  })

  it('draws an input once: the same chart again comes from the memo, a changed one is drawn', () => {
    const bars = [
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
    ]
    const first = barChart({ title: 'Memo', description: 'memo test', bars })
    const before = renderCounts()
    const second = barChart({ title: 'Memo', description: 'memo test', bars })
    expect(second.svg).toBe(first.svg)
    expect(renderCounts()).toEqual({ drawn: before.drawn, reused: before.reused + 1 })
    const changed = barChart({ title: 'Memo', description: 'memo test', bars: [bars[0]!] })
    expect(changed.svg).not.toBe(first.svg)
    expect(renderCounts().drawn).toBe(before.drawn + 1)
  })

  it('escapes titles and descriptions', () => {
    const c = barChart({
      title: 'A <b> & "c"',
      description: '</desc><script>x</script>',
      bars: [{ label: '<i>', value: 1 }],
    })
    checkAccessibleSvg(c)
    expect(c.svg).not.toContain('<script>')
    expect(c.svg).not.toContain('<i>')
  })

  it('histogram table: one row per bin, counts sum to n, edges and bar heights drawn', () => {
    const h = freedmanDiaconis(SCORES)
    const t = charts.histogram.table
    expect(t.headers).toEqual(['From (points)', 'To (points)', 'Count'])
    expect(t.rows.length).toBe(h.counts.length)
    expect(t.rows.map((r) => r[2])).toEqual(h.counts)
    expect(t.rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(SCORES.length)
    // One bar (white-edged path) per bin with people in it, its height proportional to the count.
    const bars = [...elements(parse(charts.histogram.svg))].filter(
      (e) => e.tag === 'path' && e.attrs.fill === '#0a5bd3' && e.attrs.stroke === '#ffffff',
    )
    const nonEmpty = h.counts.filter((c) => c > 0)
    expect(bars.length).toBe(nonEmpty.length)
    const heights = bars.map((b) => Number(/l0 ([\d.]+)l/.exec(b.attrs.d!)![1]))
    const perCount = heights.map((ht, i) => ht / nonEmpty[i]!)
    for (const r of perCount) expect(r).toBeCloseTo(perCount[0]!, 0)
    // The overlays are listed in the legend.
    expect(charts.histogram.svg).toContain('Fitted normal')
    expect(charts.histogram.svg).toContain('Density (KDE)')
  })

  it('histogram without overlays has no legend', () => {
    const c = histogramChart({
      title: 't',
      description: 'd',
      histogram: freedmanDiaconis([1, 2, 2, 3, 5]),
    })
    checkAccessibleSvg(c)
    expect(c.svg).not.toContain('Fitted normal')
  })

  it('tables carry the numbers: bar, line (gaps as –), strip (sorted), Q–Q', () => {
    expect(charts.bar.table.rows).toEqual([
      ['Class A', 31],
      ['Class B', 27],
      ['Class C', 12],
    ])
    expect(charts.line.table.headers).toEqual(['', 'Cohort 1 (points)', 'Cohort 2 (points)'])
    expect(charts.line.table.rows).toEqual([
      ['Week 1', 61.5, 58],
      ['Week 2', 64.25, 59.75],
      ['Week 3', 66, '–'],
    ])
    const strip = charts.strip.table.rows.map((r) => r[0] as number)
    expect(strip).toEqual([...SCORES.slice(0, 12)].sort((a, b) => a - b))
    expect(charts.qq.table.rows.length).toBe(SCORES.length)
  })

  it('line chart x labels are the union in first-seen order', () => {
    const c = lineChart({
      title: 't',
      description: 'd',
      series: [
        {
          name: 'a',
          points: [
            { x: 'Mon', y: 1 },
            { x: 'Wed', y: 2 },
          ],
        },
        {
          name: 'b',
          points: [
            { x: 'Tue', y: 3 },
            { x: 'Wed', y: 4 },
          ],
        },
      ],
    })
    expect(c.table.rows.map((r) => r[0])).toEqual(['Mon', 'Wed', 'Tue'])
    expect(c.table.rows[2]).toEqual(['Tue', '–', 3])
  })

  it('ChartFigure prints the SVG raw, a caption and the table with every number', async () => {
    const html = String(await ChartFigure({ chart: charts.line }))
    expect(html).toContain(charts.line.svg)
    expect(html).toContain('<figcaption>Weekly mean score</figcaption>')
    expect(html).toContain('<summary>Data table</summary>')
    for (const n of ['61.5', '64.25', '66', '58', '59.75', '–'])
      expect(html).toContain(`<td>${n}</td>`)
    expect(html).toContain('<th scope="row">Week 3</th>')
    const bar = barChart({ title: 'x', description: 'y', bars: [{ label: '<b>', value: 2 }] })
    const esc = String(await ChartFigure({ chart: bar }))
    expect(esc).toContain('<th scope="row">&lt;b&gt;</th>')
  })
})
