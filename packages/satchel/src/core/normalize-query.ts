/**
 * Canonical query strings for cache keys, so that key cardinality stays bounded: requests that
 * mean the same thing share one key, and nothing a client adds can mint new keys without limit.
 *
 * Rules, in order:
 * 1. Only `allow`-listed parameters are kept; everything else (tracking ids, cache busters) is
 *    dropped.
 * 2. Values are trimmed; `undefined`, `null`, empty and whitespace-only values and non-finite
 *    numbers are dropped. Numbers, bigints and booleans are written with `String()`.
 * 3. A parameter in `caps` is a number: only its first value counts (as with
 *    `URLSearchParams.get`), it is floored and clamped to `[0, cap]`, and a value that is not a
 *    decimal number is dropped.
 * 4. A parameter left without values takes its `defaults` entry, so `?limit=20` and no `limit`
 *    share a key when 20 is the default.
 * 5. Other repeated parameters are sets: values are sorted and de-duplicated, unless the
 *    parameter is listed in `ordered` (e.g. a multi-column `sort`), whose values keep their
 *    order. Read set parameters with `getAll` and treat their order as meaningless.
 * 6. Parameters are sorted by name and written as `name=value&...`, percent-encoded like
 *    `encodeURIComponent` (lone surrogates become U+FFFD first, as every UTF-8 encoder does).
 *    With nothing left the result is {@link EMPTY_QUERY}, never `''`, so it is always a valid
 *    key part.
 *
 * The key is only as right as the handler's agreement with it: a handler that read `limit=abc`
 * its own way would cache its answer under the default limit's key. Drive the handler from
 * {@link QueryNormalizer.values} and the two cannot disagree.
 *
 * @module
 */
import { InvalidOptionError } from './errors.js'

/** One query value. @example const grade: QueryScalar = 5 */
export type QueryScalar = string | number | bigint | boolean | null | undefined

/** A query parameter's value: one scalar or several. @example const grades: QueryValue = [3, 5] */
export type QueryValue = QueryScalar | readonly QueryScalar[]

/**
 * Query parameters: a `URLSearchParams` (e.g. `new URL(request.url).searchParams`), a query
 * string (a leading `?` is fine) or an object.
 * @example normalizeQuery({ q: 'fractions', grade: [3, 5] }, { allow: ['q', 'grade'] })
 */
export type QueryInput = URLSearchParams | string | Readonly<Record<string, QueryValue>>

/**
 * Options for {@link normalizeQuery} and {@link createQueryNormalizer}.
 * @example
 * ```ts
 * const reportQuery: NormalizeQueryOptions = {
 *   allow: ['term', 'year', 'grade', 'limit', 'sort'],
 *   caps: { limit: 100 },
 *   defaults: { limit: 20 },
 *   ordered: ['sort'],
 * }
 * ```
 */
export interface NormalizeQueryOptions {
  /** The parameters that select different data for this route. Everything else is dropped. */
  allow: readonly string[]
  /**
   * Numeric parameters and their upper bound, e.g. `{ limit: 100 }`. Each must be in `allow`.
   * @default {}
   */
  caps?: Readonly<Record<string, number>>
  /**
   * Values used when a parameter is absent, so the explicit default and no value share a key.
   * Each must be in `allow`; capped defaults are clamped too.
   * @default {}
   */
  defaults?: Readonly<Record<string, QueryValue>>
  /**
   * Repeated parameters whose order matters: kept in order, not de-duplicated.
   * @default []
   */
  ordered?: readonly string[]
}

/**
 * What {@link normalizeQuery} returns when no parameter is left. It contains no `=`, so it
 * never equals a non-empty result.
 * @example normalizeQuery('?utm_source=x', { allow: ['q'] }) === EMPTY_QUERY // true
 */
export const EMPTY_QUERY = '-'

const hasOwn = Object.hasOwn
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function encode(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'))
  }
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': {
      const trimmed = value.trim()
      return trimmed === '' ? undefined : trimmed
    }
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined
    case 'bigint':
    case 'boolean':
      return String(value)
  }
  return undefined
}

function capped(value: unknown, cap: number): string | undefined {
  let n: number
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined
    n = Math.floor(value)
  } else {
    // Decimal text only: '0x10' and '1e3' are numbers to Number() but rarely to the handler.
    const text = scalarText(value)
    if (text === undefined || !DECIMAL.test(text)) return undefined
    n = Math.floor(Number(text))
  }
  // Math.max(0, -0) is +0, so '-0' and '0' share a key.
  return String(Math.min(Math.max(0, n), cap))
}

interface Plan {
  name: string
  prefix: string
  cap: number | undefined
  ordered: boolean
  fallback: readonly string[]
}

function values(raw: unknown, plan: Pick<Plan, 'cap' | 'ordered'>): string[] {
  const list: readonly unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  if (plan.cap !== undefined) {
    if (list.length === 0) return []
    const v = capped(list[0], plan.cap)
    return v === undefined ? [] : [v]
  }
  const out: string[] = []
  for (const item of list) {
    const text = scalarText(item)
    if (text !== undefined) out.push(text)
  }
  if (plan.ordered || out.length < 2) return out
  // Code-unit order, not locale order: the key must not depend on the server's ICU data.
  out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return out.filter((v, i) => i === 0 || v !== out[i - 1])
}

function checkSubset(field: string, names: Iterable<string>, allowed: ReadonlySet<string>): void {
  for (const name of names) {
    if (!allowed.has(name)) {
      throw new InvalidOptionError(field, `"${name}" is not in allow; add it there first`)
    }
  }
}

/**
 * A compiled {@link normalizeQuery}: call it for the key, `values` for the handler's inputs.
 * @example
 * ```ts
 * const q = createQueryNormalizer({ allow: ['q', 'limit'], caps: { limit: 100 } })
 * q('?q=math&limit=500')        // 'limit=100&q=math'
 * q.values('?q=math&limit=500') // { limit: ['100'], q: ['math'] }
 * ```
 */
export interface QueryNormalizer {
  /** The canonical string for a cache key. */
  (params: QueryInput): string
  /**
   * The normalised values the key was made from, by parameter name (capped numbers as text).
   * Drive the handler from these, so a request is never answered for one input and cached
   * under another (for example `limit=abc`, which keys as the default limit).
   */
  values(params: QueryInput): Record<string, string[]>
}

/**
 * Compiles the options once and returns a normalizer: the form to use per route.
 *
 * @throws InvalidOptionError when `allow` is not a list of non-empty names, a cap is not a
 *   non-negative integer, or `caps`, `defaults` or `ordered` name a parameter `allow` lacks.
 * @example
 * ```ts
 * const searchQuery = createQueryNormalizer({
 *   allow: ['q', 'term', 'limit'],
 *   caps: { limit: 100 },
 *   defaults: { limit: 20 },
 * })
 * const params = new URL(request.url).searchParams
 * const key = keys.org(orgId).key('search', searchQuery(params))
 * const { q, term, limit } = searchQuery.values(params) // what the key says, for the query
 * ```
 */
export function createQueryNormalizer(options: NormalizeQueryOptions): QueryNormalizer {
  const { allow, caps = {}, defaults = {}, ordered = [] } = options
  if (!Array.isArray(allow) || allow.some((n) => typeof n !== 'string' || n === '')) {
    throw new InvalidOptionError('allow', 'expected a list of non-empty parameter names')
  }
  const allowed = new Set<string>(allow)
  checkSubset('caps', Object.keys(caps), allowed)
  checkSubset('defaults', Object.keys(defaults), allowed)
  checkSubset('ordered', ordered, allowed)
  for (const [name, cap] of Object.entries(caps)) {
    if (!Number.isInteger(cap) || cap < 0) {
      throw new InvalidOptionError(
        'caps',
        `cap for "${name}" must be an integer >= 0, got ${String(cap)}`,
      )
    }
  }
  const orderedSet = new Set(ordered)
  const plans: Plan[] = [...allowed].sort().map((name) => {
    const shape = {
      cap: hasOwn(caps, name) ? caps[name] : undefined,
      ordered: orderedSet.has(name),
    }
    const fallback = hasOwn(defaults, name) ? values(defaults[name], shape) : []
    if (hasOwn(defaults, name) && fallback.length === 0) {
      throw new InvalidOptionError(
        'defaults',
        `default for "${name}" is empty or not a valid value`,
      )
    }
    return { name, prefix: `${encode(name)}=`, fallback, ...shape }
  })

  function each(input: QueryInput, visit: (plan: Plan, list: readonly string[]) => void): void {
    const params = typeof input === 'string' ? new URLSearchParams(input) : input
    const fromSearch = params instanceof URLSearchParams
    const record = params as Readonly<Record<string, QueryValue>>
    for (const plan of plans) {
      const raw = fromSearch
        ? params.getAll(plan.name)
        : hasOwn(record, plan.name)
          ? record[plan.name]
          : undefined
      const list = values(raw, plan)
      visit(plan, list.length === 0 ? plan.fallback : list)
    }
  }

  const normalizer = (input: QueryInput): string => {
    const pairs: string[] = []
    each(input, (plan, list) => {
      for (const v of list) pairs.push(plan.prefix + encode(v))
    })
    return pairs.length === 0 ? EMPTY_QUERY : pairs.join('&')
  }
  normalizer.values = (input: QueryInput): Record<string, string[]> => {
    const out: Record<string, string[]> = {}
    each(input, (plan, list) => {
      if (list.length === 0) return
      // defineProperty, so an allowed name like "__proto__" is data, not a prototype change.
      Object.defineProperty(out, plan.name, {
        value: [...list],
        enumerable: true,
        writable: true,
        configurable: true,
      })
    })
    return out
  }
  return normalizer
}

/**
 * Returns the canonical form of `params` for a cache key (see the module documentation for the
 * rules). For a hot route, build the normalizer once with {@link createQueryNormalizer}.
 *
 * @throws InvalidOptionError as {@link createQueryNormalizer} does.
 * @example
 * ```ts
 * normalizeQuery('?utm=x&limit=500&grade=5&grade=3&q=%20fractions', {
 *   allow: ['q', 'grade', 'limit'],
 *   caps: { limit: 100 },
 * }) // 'grade=3&grade=5&limit=100&q=fractions'
 * ```
 */
export function normalizeQuery(params: QueryInput, options: NormalizeQueryOptions): string {
  return createQueryNormalizer(options)(params)
}
