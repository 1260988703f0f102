import { describe, expect, it } from 'vitest'
import { cleanSvg } from '../../../src/analytics/charts/svg-clean.js'

// The shape of ECharts' SSR output (ids numbered per instance, style attributes, hover <style>).
const ECHARTS_LIKE = `<svg width="100" height="50" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">
<text style="font-size:12px;font-family:sans-serif;cursor:pointer;" fill="#333" class="zr7-cls-0">a &amp; b</text>
<text style="fill:#f00;font-weight:bold" fill="#00f">kept fill</text>
<g clip-path="url(#zr7-c0)"><path d="M0 0L1 1" ecmeta_series_index="0" pointer-events="visible"></path></g>
<defs><clipPath id="zr7-c0"><path d="M0 0l100 0l0 50Z"></path></clipPath></defs>
<style><![CDATA[.zr7-cls-0:hover { cursor:pointer; }]]></style>
</svg>`

describe('cleanSvg', () => {
  const out = cleanSvg(ECHARTS_LIKE, { title: 'T <1>', description: 'D & E', idPrefix: 'chx' })

  it('moves presentation properties out of style, drops the rest and the <style> element', () => {
    expect(out).not.toMatch(/style/)
    expect(out).toContain('font-size="12px"')
    expect(out).toContain('font-family="sans-serif"')
    expect(out).not.toContain('cursor')
    // In CSS a style declaration beats the presentation attribute; the moved one replaces it.
    expect(out).toContain('fill="#f00" font-weight="bold"')
    expect(out).not.toContain('#00f')
    expect(out).not.toMatch(/ecmeta|class=|pointer-events/)
  })

  it('renames ids and their url() references, adds role, title and desc (escaped)', () => {
    expect(out).toContain('clip-path="url(#chx-c0)"')
    expect(out).toContain('id="chx-c0"')
    expect(out).not.toContain('zr7')
    expect(out).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chx-title chx-desc"/)
    expect(out).toContain(
      '<title id="chx-title">T &lt;1&gt;</title><desc id="chx-desc">D &amp; E</desc>',
    )
    expect(out).toContain('a &amp; b')
  })
})
