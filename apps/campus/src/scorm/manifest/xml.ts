/**
 * `imsmanifest.xml` as a tree: fast-xml-parser's output with namespace prefixes taken off the
 * element and attribute names (`adlcp:scormType` → `@scormType`, `xml:base` → `@base`), so the
 * validator reads one shape whatever prefixes a package's author chose. The `xmlns`
 * declarations stay, since they tell SCORM versions apart.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** An element: attributes as `@name`, child elements by local name, text as `#text`. */
export type XmlNode = { [key: string]: XmlValue }
/** A child: an element, a list of same-named elements, or text. */
export type XmlValue = XmlNode | XmlValue[] | string

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Every element becomes an object (text in `#text`), so a text-only and an attributed
  // element read the same way.
  alwaysCreateTextNode: true,
})

function localName(key: string): string {
  if (key.startsWith('@xmlns')) return key
  const at = key.startsWith('@') ? '@' : ''
  const name = at ? key.slice(1) : key
  const colon = name.indexOf(':')
  return colon === -1 ? key : `${at}${name.slice(colon + 1)}`
}

function normalise(value: XmlValue): XmlValue {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(normalise)
  const out: XmlNode = {}
  for (const [key, child] of Object.entries(value)) {
    const name = localName(key)
    const next = normalise(child)
    const existing = out[name]
    // Two prefixes for one local name (rare): keep both as a list.
    if (existing === undefined) out[name] = next
    else
      out[name] = [
        ...(Array.isArray(existing) ? existing : [existing]),
        ...(Array.isArray(next) ? next : [next]),
      ]
  }
  return out
}

/** The parse result: the document's root element by local name, or a syntax error. */
export type ParseResult =
  | { ok: true; root: XmlNode }
  | { ok: false; line: number; column: number; message: string }

/** Parses `xml` (syntax checked first, so an error names its line and column). */
export function parseXml(xml: string): ParseResult {
  const check = XMLValidator.validate(xml)
  if (check !== true) {
    return { ok: false, line: check.err.line, column: check.err.col, message: check.err.msg }
  }
  const doc = normalise(parser.parse(xml) as XmlNode) as XmlNode
  return { ok: true, root: doc }
}

/** The child elements of `node` named `name`, as a list. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name]
  if (value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  return list.filter((v): v is XmlNode => typeof v === 'object' && !Array.isArray(v))
}

/** The first child element named `name`. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0]
}

/** An attribute's value (trimmed), or undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`]
  return typeof value === 'string' ? value.trim() : undefined
}

/** An element's text (trimmed), or undefined when the element is absent. */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined
  const value = node['#text']
  return typeof value === 'string' ? value.trim() : ''
}
