/**
 * Post-processing of ECharts' server-side SVG so it is accessible, deterministic and displays
 * under campus's Content-Security-Policy.
 *
 * The policy's `style-src` is `'self'` plus the hash of the page stylesheet, so a browser
 * refuses (and reports) every inline `style="…"` attribute and `<style>` element. ECharts emits
 * both: text carries `style="font-size:12px;font-family:…"` and a `<style>` block holds hover
 * rules. Allowing them would take `'unsafe-inline'` (or `'unsafe-hashes'` with a hash per chart)
 * in `style-src`, widening the policy for every page to serve charts. Instead each style
 * declaration SVG also accepts as a presentation attribute (`font-size`, `fill`, …) is moved to
 * that attribute, which CSP does not govern and which renders the same; the rest (`cursor`, hover
 * rules) only matter for interaction a static SVG does not have, so they are dropped. Scripts are
 * untouched: the SVG carries none.
 *
 * ECharts also numbers element ids per chart instance (`zr3-c0`), which would make output depend
 * on how many charts the process drew before; ids are renamed from a caller-given prefix.
 *
 * @module
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser'

/** Style properties that are also SVG presentation attributes (SVG 2 §6.6 list, the ones used). */
const PRESENTATION = new Set([
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'opacity',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
  'paint-order',
])

/** Attributes that only serve ECharts' client-side hydration or hover styling. */
const DROP_ATTR = /^(class|ecmeta_.*|pointer-events)$/

type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
})

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
})

/** What {@link cleanSvg} adds. */
export interface SvgLabels {
  title: string
  description: string
  /** Prefix for every id in the SVG; unique per chart on a page. */
  idPrefix: string
}

/** Rewrites ECharts SSR output as described in the module comment. */
export function cleanSvg(svg: string, labels: SvgLabels): string {
  const doc = parser.parse(svg) as XmlNode[]
  const root = doc.find((n) => 'svg' in n)
  if (!root) throw new Error('ECharts produced no <svg> root')
  const rename = (value: string) => value.replace(/\bzr\d+-/g, `${labels.idPrefix}-`)
  walk(root, rename)
  const attrs = (root[':@'] ?? {}) as Record<string, string>
  const titleId = `${labels.idPrefix}-title`
  const descId = `${labels.idPrefix}-desc`
  root[':@'] = {
    ...attrs,
    '@_role': 'img',
    '@_aria-labelledby': `${titleId} ${descId}`,
    '@_focusable': 'false',
  }
  const children = root.svg as XmlNode[]
  children.unshift(
    { title: [{ '#text': labels.title }], ':@': { '@_id': titleId } },
    { desc: [{ '#text': labels.description }], ':@': { '@_id': descId } },
  )
  return (builder.build([root]) as string).trim()
}

function walk(node: XmlNode, rename: (v: string) => string): void {
  const tag = Object.keys(node).find((k) => k !== ':@')
  if (!tag || tag.startsWith('#')) return
  const attrs = node[':@'] as Record<string, string> | undefined
  if (attrs) {
    const style = attrs['@_style']
    delete attrs['@_style']
    for (const [name, value] of Object.entries(attrs)) {
      if (DROP_ATTR.test(name.slice(2))) delete attrs[name]
      else attrs[name] = rename(value)
    }
    // After the attributes: a style declaration beats a presentation attribute in CSS, so the
    // moved declaration replaces one of the same name.
    for (const decl of style?.split(';') ?? []) {
      const colon = decl.indexOf(':')
      if (colon < 0) continue
      const prop = decl.slice(0, colon).trim().toLowerCase()
      if (PRESENTATION.has(prop)) attrs[`@_${prop}`] = decl.slice(colon + 1).trim()
    }
  }
  const children = node[tag] as XmlNode[]
  // Hover rules only: a <style> element would be refused under the CSP anyway.
  node[tag] = children.filter((c) => !('style' in c))
  for (const child of node[tag] as XmlNode[]) walk(child, rename)
}
