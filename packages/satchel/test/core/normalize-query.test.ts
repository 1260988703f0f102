import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../src/core/errors.js'
import { createKeyBuilder } from '../../src/core/keys.js'
import {
  createQueryNormalizer,
  EMPTY_QUERY,
  type NormalizeQueryOptions,
  normalizeQuery,
  type QueryScalar,
} from '../../src/core/normalize-query.js'

const search: NormalizeQueryOptions = {
  allow: ['q', 'term', 'year', 'grade', 'limit', 'sort'],
  caps: { limit: 100 },
  defaults: { limit: 20 },
  ordered: ['sort'],
}

describe('normalizeQuery', () => {
  it('keeps allow-listed parameters, sorted by name, with trimmed values', () => {
    const out = normalizeQuery('?utm_source=mail&q=%20fractions%20&term=fall&_=1699999', search)
    expect(out).toBe('limit=20&q=fractions&term=fall')
  })

  it('accepts URLSearchParams, a query string and a plain object alike', () => {
    const expected = 'grade=3&grade=5&limit=50&q=a%20b'
    expect(normalizeQuery(new URLSearchParams('grade=5&q=a+b&grade=3&limit=50'), search)).toBe(
      expected,
    )
    expect(normalizeQuery('grade=5&q=a+b&grade=3&limit=50', search)).toBe(expected)
    expect(normalizeQuery({ grade: [5, 3], q: 'a b', limit: 50 }, search)).toBe(expected)
  })

  it('sorts and de-duplicates repeated values', () => {
    expect(normalizeQuery({ grade: ['5', '3', '5', ' 3 '] }, { allow: ['grade'] })).toBe(
      'grade=3&grade=5',
    )
  })

  it('keeps the order of parameters listed in ordered', () => {
    expect(normalizeQuery('sort=name&sort=-date&sort=name', search)).toBe(
      'limit=20&sort=name&sort=-date&sort=name',
    )
  })

  it('clamps capped parameters to [0, cap] and floors them', () => {
    const opts = { allow: ['limit', 'offset'], caps: { limit: 100, offset: 10_000 } }
    expect(normalizeQuery({ limit: 500 }, opts)).toBe('limit=100')
    expect(normalizeQuery({ limit: '-5' }, opts)).toBe('limit=0')
    expect(normalizeQuery({ limit: '-0' }, opts)).toBe('limit=0')
    expect(normalizeQuery({ limit: '12.9' }, opts)).toBe('limit=12')
    expect(normalizeQuery({ limit: '+7' }, opts)).toBe('limit=7')
    expect(normalizeQuery({ limit: 1e300, offset: '99999999999999999999' }, opts)).toBe(
      'limit=100&offset=10000',
    )
  })

  it('drops a capped parameter that is not a decimal number, falling back to its default', () => {
    for (const bad of ['abc', '0x10', '1e3', 'Infinity', 'NaN', '', ' ', '1,5']) {
      expect(normalizeQuery({ limit: bad }, search)).toBe('limit=20')
      expect(normalizeQuery({ limit: bad }, { allow: ['limit'], caps: { limit: 100 } })).toBe(
        EMPTY_QUERY,
      )
    }
  })

  it('reads only the first value of a capped parameter, like URLSearchParams.get', () => {
    expect(normalizeQuery('limit=5&limit=10', search)).toBe('limit=5')
    expect(normalizeQuery('limit=10&limit=5', search)).toBe('limit=10')
    expect(normalizeQuery('limit=x&limit=5', search)).toBe('limit=20')
  })

  it('drops undefined, null, empty and non-finite values', () => {
    const values: Record<string, QueryScalar | QueryScalar[]> = {
      q: '   ',
      term: undefined,
      year: null,
      grade: [Number.NaN, '', null, Number.POSITIVE_INFINITY],
    }
    expect(normalizeQuery(values, { allow: ['q', 'term', 'year', 'grade'] })).toBe(EMPTY_QUERY)
  })

  it('writes numbers, bigints and booleans as text', () => {
    expect(normalizeQuery({ a: 1.5, b: 10n, c: true }, { allow: ['a', 'b', 'c'] })).toBe(
      'a=1.5&b=10&c=true',
    )
  })

  it('uses defaults so an explicit default and no value share a key', () => {
    expect(normalizeQuery({}, search)).toBe(normalizeQuery({ limit: '20' }, search))
    expect(normalizeQuery({}, { allow: ['g'], defaults: { g: ['b', 'a'] } })).toBe('g=a&g=b')
  })

  it('percent-encodes names and values so the output is unambiguous', () => {
    const opts = { allow: ['q', 'a&b'] }
    expect(normalizeQuery({ q: 'x&y=z', 'a&b': '=' }, opts)).toBe('a%26b=%3D&q=x%26y%3Dz')
    expect(normalizeQuery({ q: 'é😀' }, opts)).toBe('q=%C3%A9%F0%9F%98%80')
    // Lone surrogates become U+FFFD, as a UTF-8 round trip through the database would make them.
    expect(normalizeQuery({ q: 'a\ud800' }, opts)).toBe(normalizeQuery({ q: 'a\ufffd' }, opts))
  })

  it('ignores inherited properties of plain objects', () => {
    const proto = { q: 'inherited' }
    const params = Object.create(proto) as Record<string, string>
    expect(normalizeQuery(params, { allow: ['q', 'toString'] })).toBe(EMPTY_QUERY)
  })

  it('never returns an empty string, so the result is always a valid key part', () => {
    const keys = createKeyBuilder({ prefix: 'campus' })
    const part = normalizeQuery({ utm: 'x' }, { allow: ['q'] })
    expect(part).toBe(EMPTY_QUERY)
    expect(keys.org('o').key('search', part)).toBe('campus:o:o:search:-')
  })

  it('exposes the normalised values the key was made from', () => {
    const normalize = createQueryNormalizer(search)
    const params = new URLSearchParams('limit=abc&grade=5&grade=3&utm=x&q=%20a%20')
    expect(normalize.values(params)).toEqual({ grade: ['3', '5'], limit: ['20'], q: ['a'] })
    expect(normalize(params)).toBe('grade=3&grade=5&limit=20&q=a')
    const odd = createQueryNormalizer({ allow: ['__proto__'] }).values({
      ['__proto__']: 'x',
    } as never)
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value).toEqual(['x'])
  })

  it('validates its options', () => {
    const bad: NormalizeQueryOptions[] = [
      { allow: 'q' as never },
      { allow: [''] },
      { allow: ['q'], caps: { limit: 10 } },
      { allow: ['limit'], caps: { limit: -1 } },
      { allow: ['limit'], caps: { limit: 1.5 } },
      { allow: ['q'], defaults: { x: 1 } },
      { allow: ['q'], defaults: { q: '  ' } },
      { allow: ['q'], ordered: ['sort'] },
      { allow: ['limit'], caps: { limit: 10 }, defaults: { limit: 'ten' } },
    ]
    for (const options of bad)
      expect(() => createQueryNormalizer(options)).toThrow(InvalidOptionError)
  })
})

describe('normalizeQuery properties', () => {
  const names = ['q', 'term', 'year', 'grade', 'limit', 'sort', 'utm', 'page', 'x y', '&']
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.constantFrom('', ' ', '100', '101', '-1', '3.7'),
  )
  const pairs = fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 12 })

  function shuffled<T>(items: readonly T[], seed: number): T[] {
    const out = [...items]
    let s = seed
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) & 0x7fffffff
      const j = s % (i + 1)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }

  it('does not depend on parameter order (apart from ordered and capped parameters)', () => {
    const opts = { allow: ['q', 'term', 'grade', 'x y', '&'] }
    const normalize = createQueryNormalizer(opts)
    fc.assert(
      fc.property(pairs, fc.nat(), (list, seed) => {
        const a = normalize(new URLSearchParams(list))
        const b = normalize(new URLSearchParams(shuffled(list, seed)))
        expect(a).toBe(b)
        const grouped: Record<string, string[]> = {}
        for (const [k, v] of shuffled(list, seed + 1)) grouped[k] = [...(grouped[k] ?? []), v]
        expect(normalize(grouped)).toBe(a)
      }),
      { numRuns: 500 },
    )
  })

  it('gives equal strings for equal inputs and never lets a disallowed parameter through', () => {
    const normalize = createQueryNormalizer(search)
    fc.assert(
      fc.property(pairs, (list) => {
        const out = normalize(new URLSearchParams(list))
        expect(normalize(new URLSearchParams(list))).toBe(out)
        if (out === EMPTY_QUERY) return
        for (const pair of out.split('&')) {
          const [name, v] = pair.split('=')
          expect(search.allow).toContain(decodeURIComponent(name!))
          expect(v).toBeDefined()
          if (name === 'limit') {
            const n = Number(v)
            expect(Number.isInteger(n) && n >= 0 && n <= 100).toBe(true)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('is a fixed point: normalising the output again changes nothing', () => {
    const normalize = createQueryNormalizer(search)
    fc.assert(
      fc.property(pairs, (list) => {
        const out = normalize(new URLSearchParams(list))
        if (out !== EMPTY_QUERY) expect(normalize(out)).toBe(out)
      }),
      { numRuns: 300 },
    )
  })
})
