/**
 * Validation of a commit from the run-time: every element named must be in the version's data
 * model, and every value a SCO may write must fit its vocabulary, range, format and length.
 * One bad value rejects the whole commit (nothing of it is stored), with a problem per bad
 * element (`cmi.core.lesson_status: "finished" is not one of passed | completed | …`).
 *
 * @module
 */
import type { ScormVersion } from '../../db/schema.js'
import { type CmiRule, cmiRules } from './cmi-rules.js'
import { DURATION_2004, TIME_12, TIMESPAN_12, TIMESTAMP_2004 } from './cmi-time.js'

/** Highest collection index accepted (interactions, objectives, comments). */
export const MAX_COLLECTION_INDEX = 999
/** Most elements in one commit. */
export const MAX_COMMIT_ELEMENTS = 20_000

/** A validated commit: writable elements with their values (read-only ones dropped). */
export type CmiValues = Map<string, string>

/** The validation result. */
export type CmiResult = { ok: true; values: CmiValues } | { ok: false; problems: string[] }

const DECIMAL = /^-?\d{1,10}(\.\d{1,7})?$/

/** The rule name of an element (`cmi.interactions.3.id` → `cmi.interactions.n.id`). */
function ruleName(element: string): { name: string; badIndex?: string } {
  let badIndex: string | undefined
  const name = element.replace(/\.(\d+)(?=\.)/g, (_m, digits: string) => {
    if (Number(digits) > MAX_COLLECTION_INDEX || (digits.length > 1 && digits.startsWith('0'))) {
      badIndex = digits
    }
    return '.n'
  })
  return { name, ...(badIndex === undefined ? {} : { badIndex }) }
}

function describe(rule: CmiRule): string {
  switch (rule.kind) {
    case 'vocab':
      return `one of ${rule.values.map((v) => (v === '' ? '""' : v)).join(' | ')}${rule.orDecimal ? ' or a decimal number' : ''}`
    case 'decimal':
      return `a decimal number${rule.min !== undefined ? ` ≥ ${rule.min}` : ''}${rule.max !== undefined ? ` and ≤ ${rule.max}` : ''}`
    case 'integer':
      return `an integer from ${rule.min} to ${rule.max}`
    case 'timespan':
      return 'a time span HHHH:MM:SS.SS'
    case 'time':
      return 'a time of day HH:MM:SS.S'
    case 'duration':
      return 'an ISO 8601 duration such as PT1H30M5S'
    case 'timestamp':
      return 'an ISO 8601 time such as 2024-05-01T10:00:00Z'
    default:
      return ''
  }
}

/** Why `value` breaks `rule`, or undefined when it fits. */
function breach(rule: CmiRule, value: string): string | undefined {
  const quoted = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  switch (rule.kind) {
    case 'read-only':
      return undefined
    case 'string':
      return value.length > rule.max
        ? `${value.length} characters, more than the ${rule.max} allowed`
        : undefined
    case 'identifier':
      if (value.length > rule.max)
        return `${value.length} characters, more than the ${rule.max} allowed`
      return value === '' || /\s/.test(value)
        ? `${quoted} is not an identifier (non-empty, no spaces)`
        : undefined
    case 'vocab':
      if (rule.values.includes(value)) return undefined
      if (rule.orDecimal && DECIMAL.test(value)) return undefined
      return `${quoted} is not ${describe(rule)}`
    case 'decimal': {
      if (value === '' && rule.empty) return undefined
      const n = Number(value)
      if (!DECIMAL.test(value)) return `${quoted} is not a decimal number`
      if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
        return `${quoted} is out of range: must be ${describe(rule)}`
      }
      return undefined
    }
    case 'integer': {
      if (value === '' && rule.empty) return undefined
      if (!/^-?\d{1,4}$/.test(value)) return `${quoted} is not ${describe(rule)}`
      const n = Number(value)
      return n < rule.min || n > rule.max
        ? `${quoted} is out of range: must be ${describe(rule)}`
        : undefined
    }
    case 'timespan':
      return value === '' || TIMESPAN_12.test(value)
        ? undefined
        : `${quoted} is not ${describe(rule)}`
    case 'time':
      return value === '' || TIME_12.test(value) ? undefined : `${quoted} is not ${describe(rule)}`
    case 'duration':
      return value === '' || DURATION_2004.test(value)
        ? undefined
        : `${quoted} is not ${describe(rule)}`
    case 'timestamp':
      return value === '' || TIMESTAMP_2004.test(value)
        ? undefined
        : `${quoted} is not ${describe(rule)}`
  }
}

/**
 * Validates a flattened commit (`{ "cmi.core.lesson_status": "passed", … }`).
 * @example const result = validateCmi('1.2', await c.req.json())
 */
export function validateCmi(version: ScormVersion, body: unknown): CmiResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['(body): must be a JSON object of CMI elements'] }
  }
  const entries = Object.entries(body as Record<string, unknown>)
  if (entries.length > MAX_COMMIT_ELEMENTS) {
    return {
      ok: false,
      problems: [`(body): ${entries.length} elements, more than ${MAX_COMMIT_ELEMENTS}`],
    }
  }
  const rules = cmiRules(version)
  const problems: string[] = []
  const values: CmiValues = new Map()
  for (const [element, value] of entries) {
    // The run-time renders an empty collection (`cmi.objectives`) as an empty object.
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0
    )
      continue
    const { name, badIndex } = ruleName(element)
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined
    if (!rule) {
      problems.push(`${element}: not an element of the SCORM ${version} data model`)
      continue
    }
    if (badIndex !== undefined) {
      problems.push(
        `${element}: index ${badIndex} is not allowed (0 to ${MAX_COLLECTION_INDEX}, no leading zeros)`,
      )
      continue
    }
    if (typeof value !== 'string') {
      problems.push(`${element}: must be a string, got ${value === null ? 'null' : typeof value}`)
      continue
    }
    if (rule.kind === 'read-only') continue
    const reason = breach(rule, value)
    if (reason) problems.push(`${element}: ${reason}`)
    else values.set(element, value)
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values }
}
