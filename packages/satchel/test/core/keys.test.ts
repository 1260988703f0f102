import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidKeyError, InvalidOptionError } from '../../src/core/errors.js'
import { createKeyBuilder, escapeGlob, escapeKeyPart } from '../../src/core/keys.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

const keys = createKeyBuilder({ prefix: 'campus' })

/** CRC16/XMODEM as Redis Cluster specifies it, over the UTF-8 bytes of the key. */
function crc16(bytes: Uint8Array): number {
  let crc = 0
  for (const byte of bytes) {
    crc ^= byte << 8
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc
}

/** The hash-tag rule: the text between the first `{` and the next `}`, if non-empty. */
function hashedPart(key: string): string {
  const open = key.indexOf('{')
  if (open === -1) return key
  const close = key.indexOf('}', open + 1)
  if (close === -1 || close === open + 1) return key
  return key.slice(open + 1, close)
}

function clusterSlot(key: string): number {
  return crc16(Buffer.from(hashedPart(key))) % 16384
}

/** Redis's stringmatchlen (SCAN MATCH / KEYS), for the ASCII keys the builder produces. */
function globMatch(pattern: string, text: string): boolean {
  function from(p: number, s: number): boolean {
    while (p < pattern.length) {
      const c = pattern[p]!
      if (c === '*') {
        while (pattern[p + 1] === '*') p++
        if (p + 1 === pattern.length) return true
        for (let k = s; k <= text.length; k++) if (from(p + 1, k)) return true
        return false
      }
      if (s >= text.length) return false
      if (c === '?') {
        s++
      } else if (c === '[') {
        p++
        const negate = pattern[p] === '^'
        if (negate) p++
        let matched = false
        while (p < pattern.length && pattern[p] !== ']') {
          if (pattern[p] === '\\' && p + 1 < pattern.length) {
            p++
            if (pattern[p] === text[s]) matched = true
          } else if (pattern[p + 1] === '-' && p + 2 < pattern.length && pattern[p + 2] !== ']') {
            let lo = pattern[p]!
            let hi = pattern[p + 2]!
            if (lo > hi) [lo, hi] = [hi, lo]
            if (text[s]! >= lo && text[s]! <= hi) matched = true
            p += 2
          } else if (pattern[p] === text[s]) {
            matched = true
          }
          p++
        }
        if (negate) matched = !matched
        if (!matched) return false
        s++
      } else {
        if (c === '\\' && p + 1 < pattern.length) p++
        if (pattern[p] !== text[s]) return false
        s++
      }
      p++
    }
    return s === text.length
  }
  return from(0, 0)
}

/** Strings heavy in everything the format must neutralise, plus arbitrary and very long text. */
const nasty = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        ':',
        '{',
        '}',
        '*',
        '?',
        '[',
        ']',
        '\\',
        ' ',
        '%',
        '#',
        '^',
        '-',
        '\n',
        '\u0000',
      ),
      fc.constantFrom('\ud800', '\udfff', 'é', '😀', '%3A', '#x', '\u00a0', '\u2028'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
    ),
    minLength: 1,
    maxLength: 12,
  }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 120, maxLength: 400 }),
)

describe('key format', () => {
  it('builds organisation, slot and global keys in the documented shape', () => {
    expect(keys.org('org-7').key('report', 'grades', 5)).toBe('campus:o:org-7:report:grades:5')
    expect(keys.org(42).key('x', true, 10n)).toBe('campus:o:42:x:true:10')
    expect(keys.org('org-7').slot('course', 42).key('bundle')).toBe(
      'campus:o:org-7:{org-7:course:42}:bundle',
    )
    expect(keys.global('rl', 'login', '203.0.113.9')).toBe('campus:g:rl:login:203.0.113.9')
    expect(keys.global.slot('rl', 'login').key('ip')).toBe('campus:g:{g:rl:login}:ip')
    expect(keys.org('org-7').slot().key('a')).toBe('campus:o:org-7:{org-7}:a')
  })

  it('escapes separators, braces, globs, whitespace, % and # and non-ASCII', () => {
    expect(keys.org('a:b').key('{x}', '*?[]\\', 'a b', '%', '#', 'é', '😀')).toBe(
      'campus:o:a%3Ab:%7Bx%7D:%2A%3F%5B%5D%5C:a%20b:%25:%23:%C3%A9:%F0%9F%98%80',
    )
    // Lone surrogates are kept apart from U+FFFD and from each other (WTF-8 bytes).
    expect(escapeKeyPart('\ud800')).toBe('%ED%A0%80')
    expect(escapeKeyPart('\ufffd')).toBe('%EF%BF%BD')
    expect(escapeKeyPart('\udc00\ud800')).toBe('%ED%B0%80%ED%A0%80')
  })

  it('treats parts as text: 1, 1n and "1" are the same part', () => {
    const org = keys.org('o')
    expect(org.key(1)).toBe(org.key('1'))
    expect(org.key(1n)).toBe(org.key('1'))
    expect(org.key(true)).toBe(org.key('true'))
    expect(keys.org(5).key('x')).toBe(keys.org('5').key('x'))
  })

  it('hashes long parts into a marker that no literal part can equal', () => {
    const long = 'x'.repeat(129)
    const key = keys.org('o').key(long)
    expect(key).toMatch(/^campus:o:o:#[A-Za-z0-9_-]{22}$/)
    const marker = key.slice('campus:o:o:'.length)
    expect(keys.org('o').key(marker)).not.toBe(key)
    expect(keys.org('o').key('x'.repeat(128))).toBe(`campus:o:o:${'x'.repeat(128)}`)
    // The cap applies after escaping: 43 colons escape to 129 characters.
    expect(keys.org('o').key(':'.repeat(43))).toMatch(/:#[A-Za-z0-9_-]{22}$/)
    expect(keys.org('x'.repeat(300)).key('a')).toMatch(/^campus:o:#[A-Za-z0-9_-]{22}:a$/)
  })

  it('caps whole keys, keeping the scope and leading parts and hashing the rest', () => {
    const parts = Array.from({ length: 30 }, (_, i) => `${i}`.padStart(100, 'p'))
    const key = keys
      .org('org')
      .slot('g')
      .key(...parts)
    expect(key.length).toBeLessThanOrEqual(1024)
    expect(key.startsWith(`campus:o:org:{org:g}:${parts[0]}:`)).toBe(true)
    expect(key).toMatch(/:##[A-Za-z0-9_-]{22}$/)
    const other = keys
      .org('org')
      .slot('g')
      .key(...parts.slice(0, 29), 'different')
    expect(other).not.toBe(key)
    expect(other.length).toBeLessThanOrEqual(1024)
  })

  it('honours custom length limits', () => {
    const small = createKeyBuilder({ prefix: 'p', maxPartLength: 30, maxKeyLength: 100 })
    expect(small.org('o').key('y'.repeat(31))).toMatch(/^p:o:o:#/)
    const key = small.org('o').key(...Array.from({ length: 10 }, () => 'z'.repeat(20)))
    expect(key.length).toBeLessThanOrEqual(100)
    expect(key).toMatch(/:##[A-Za-z0-9_-]{22}$/)
  })
})

describe('validation', () => {
  it.each(['', 'a:b', 'a{b', 'a}b', 'a b', 'a*', 'a?', 'a[b]', '-start', 'é', 'x'.repeat(65)])(
    'rejects prefix %j',
    (prefix) => {
      const error = (() => {
        try {
          createKeyBuilder({ prefix })
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect((error as InvalidOptionError).field).toBe('prefix')
    },
  )

  it('accepts ordinary prefixes', () => {
    for (const prefix of ['campus', 'campus-staging', 'app_v2', 'a.b', '1x']) {
      expect(createKeyBuilder({ prefix }).prefix).toBe(prefix)
    }
  })

  it('rejects length limits that cannot hold a key', () => {
    expect(() => createKeyBuilder({ prefix: 'p', maxPartLength: 10 })).toThrow(InvalidOptionError)
    expect(() => createKeyBuilder({ prefix: 'p', maxKeyLength: 200 })).toThrow(InvalidOptionError)
    expect(() => createKeyBuilder({ prefix: 'p', maxPartLength: 1.5 })).toThrow(InvalidOptionError)
  })

  it('refuses to build an organisation key without an organisation', () => {
    for (const id of ['', '   ', undefined, null, {}, [], Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => keys.org(id as never)).toThrow(InvalidKeyError)
    }
  })

  it('names the position of a bad part', () => {
    expect(() => keys.org('o').key('a', '')).toThrow(/part 1 is an empty string/)
    expect(() => keys.global('a', 'b', Number.NaN)).toThrow(/part 2 is NaN/)
    expect(() => keys.org('o').slot('g', '').key('x')).toThrow(/group part 1/)
    expect(() => keys.org('o').key('a', null as never)).toThrow(/part 1 must be a string/)
    expect(() => keys.org('o').key('a', {} as never)).toThrow(InvalidKeyError)
  })

  it('requires at least one part', () => {
    expect(() => keys.org('o').key()).toThrow(InvalidKeyError)
    expect(() => keys.global()).toThrow(InvalidKeyError)
    expect(() => keys.org('o').slot('g').key()).toThrow(InvalidKeyError)
  })
})

describe('key properties', () => {
  type Spec =
    | { scope: 'org'; org: string; parts: string[] }
    | { scope: 'slot'; org: string; group: string[]; parts: string[] }
    | { scope: 'global'; parts: string[] }
    | { scope: 'global-slot'; group: string[]; parts: string[] }

  const parts = fc.array(nasty, { minLength: 1, maxLength: 4 })
  const spec: fc.Arbitrary<Spec> = fc.oneof(
    fc.record({ scope: fc.constant('org' as const), org: nasty, parts }),
    fc.record({
      scope: fc.constant('slot' as const),
      org: nasty,
      group: fc.array(nasty, { maxLength: 3 }),
      parts,
    }),
    fc.record({ scope: fc.constant('global' as const), parts }),
    fc.record({
      scope: fc.constant('global-slot' as const),
      group: fc.array(nasty, { maxLength: 3 }),
      parts,
    }),
  )
  const validOrg = (s: Spec) => !('org' in s) || s.org.trim() !== ''

  function build(s: Spec): string {
    switch (s.scope) {
      case 'org':
        return keys.org(s.org).key(...s.parts)
      case 'slot':
        return keys
          .org(s.org)
          .slot(...s.group)
          .key(...s.parts)
      case 'global':
        return keys.global(...s.parts)
      case 'global-slot':
        return keys.global.slot(...s.group).key(...s.parts)
    }
  }

  function specOf(
    org: fc.Arbitrary<string>,
    text: fc.Arbitrary<string>,
    maxParts: number,
  ): fc.Arbitrary<Spec> {
    const list = fc.array(text, { minLength: 1, maxLength: maxParts })
    const groups = fc.array(text, { maxLength: maxParts })
    return fc
      .oneof(
        fc.record({ scope: fc.constant('org' as const), org, parts: list }),
        fc.record({ scope: fc.constant('slot' as const), org, group: groups, parts: list }),
        fc.record({ scope: fc.constant('global' as const), parts: list }),
        fc.record({ scope: fc.constant('global-slot' as const), group: groups, parts: list }),
      )
      .filter(validOrg)
  }

  function assertInjective(specs: Spec[]): void {
    const seen = new Map<string, string>()
    for (const s of specs) {
      const key = build(s)
      const id = JSON.stringify(s)
      expect(seen.get(key) ?? id).toBe(id)
      seen.set(key, id)
    }
  }

  it('never gives two different specifications the same key', () => {
    const unique = { minLength: 2, selector: (s: Spec) => JSON.stringify(s) }
    fc.assert(
      fc.property(
        fc.uniqueArray(spec.filter(validOrg), { ...unique, maxLength: 30 }),
        assertInjective,
      ),
      { numRuns: 300 },
    )
    // A tiny alphabet of the characters that matter makes near-collisions ('a:b' vs 'a', 'b';
    // '%3A' vs ':'; '{a' vs a tag) frequent instead of astronomically rare.
    const tiny = fc.string({
      unit: fc.constantFrom('a', ':', '{', '}', '%', '3A', '#'),
      minLength: 1,
      maxLength: 3,
    })
    const tinyOrg = fc.constantFrom('a', 'a:a', 'g', '{a}', '%3A', ':')
    fc.assert(
      fc.property(
        fc.uniqueArray(specOf(tinyOrg, tiny, 3), { ...unique, maxLength: 300 }),
        assertInjective,
      ),
      { numRuns: 200 },
    )
  })

  /** Percent-decodes a part, reading the bytes as WTF-8 (UTF-8 that admits lone surrogates). */
  function unescapePart(text: string): string {
    // Printable ASCII except % : { } * ? [ ] \ #, or an escape.
    expect(text).toMatch(/^(?:[!"$&-)+-9;->@-Z^-z|~]|%[0-9A-F]{2})+$/)
    const bytes = [...text.matchAll(/%([0-9A-F]{2})|([^%])/g)].map((m) =>
      m[1] === undefined ? m[2]!.charCodeAt(0) : Number.parseInt(m[1], 16),
    )
    let out = ''
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!
      const extra = b < 0x80 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3
      let cp = extra === 0 ? b : b & (0x3f >> extra)
      for (let k = 1; k <= extra; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f)
      out += String.fromCodePoint(cp)
      i += extra + 1
    }
    return out
  }

  /** Reads a key back into its specification: a left inverse, so the encoding is injective. */
  function parseKey(key: string): Spec {
    const segments = key.split(':')
    expect(segments.shift()).toBe('campus')
    const scope = segments.shift()
    const org = scope === 'o' ? unescapePart(segments.shift()!) : undefined
    let group: string[] | undefined
    if (segments[0]?.startsWith('{')) {
      const end = segments.findIndex((seg) => seg.endsWith('}'))
      const tag = segments
        .splice(0, end + 1)
        .join(':')
        .slice(1, -1)
        .split(':')
      expect(tag.shift()).toBe(scope === 'o' ? escapeKeyPart(org!) : 'g')
      group = tag.map(unescapePart)
    }
    const parts = segments.map(unescapePart)
    if (scope === 'o') {
      return group ? { scope: 'slot', org: org!, group, parts } : { scope: 'org', org: org!, parts }
    }
    expect(scope).toBe('g')
    return group ? { scope: 'global-slot', group, parts } : { scope: 'global', parts }
  }

  it('can be read back into the specification that built it (when nothing was hashed)', () => {
    const short = fc.oneof(
      nasty.filter((t) => t.length < 12),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
    )
    fc.assert(
      fc.property(specOf(short, short, 4), (s) => {
        const key = build(s)
        // A literal `#` is always escaped, so a bare one means a part or the tag was hashed.
        fc.pre(!key.includes('#'))
        expect(parseKey(key)).toEqual(s)
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps look-alike specifications apart', () => {
    const o = keys.org('o')
    expect(o.key('a:b')).not.toBe(o.key('a', 'b'))
    expect(o.key('%3A')).not.toBe(o.key(':'))
    expect(keys.org('a:b').key('c')).not.toBe(keys.org('a').key('b', 'c'))
    expect(keys.org('g').key('x')).not.toBe(keys.global('x'))
    expect(keys.org('o').slot('a').key('b')).not.toBe(keys.org('o').key('{o:a}', 'b'))
    expect(keys.global.slot().key('x')).not.toBe(keys.org('g').slot().key('x'))
  })

  it('keeps every organisation key under its organisation prefix, braces only in its own tag', () => {
    fc.assert(
      fc.property(
        nasty.filter((o) => o.trim() !== ''),
        parts,
        fc.array(nasty, { maxLength: 3 }),
        (org, p, group) => {
          const scoped = keys.org(org)
          const head = `campus:o:${scoped.id}:`
          expect(scoped.id).not.toMatch(/[:{}*?[\]\\\s]/)
          const escaped = escapeKeyPart(org)
          expect(scoped.id === escaped || (escaped.length > 128 && scoped.id.startsWith('#'))).toBe(
            true,
          )

          const plain = scoped.key(...p)
          expect(plain.startsWith(head)).toBe(true)
          expect(plain).not.toMatch(/[{}*?[\]\\\s]/)

          const slot = scoped.slot(...group)
          const grouped = slot.key(...p)
          expect(grouped.startsWith(`${head}${slot.hashTag}:`)).toBe(true)
          expect(grouped.match(/\{/g)).toHaveLength(1)
          expect(grouped.match(/\}/g)).toHaveLength(1)
          expect(`{${hashedPart(grouped)}}`).toBe(slot.hashTag)
          expect(grouped.length).toBeLessThanOrEqual(1024)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('puts every key of a slot group in one Cluster slot', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3) // the Cluster spec's test vector
    fc.assert(
      fc.property(
        nasty.filter((o) => o.trim() !== ''),
        fc.array(nasty, { maxLength: 3 }),
        fc.array(parts, { minLength: 2, maxLength: 5 }),
        (org, group, siblings) => {
          const slot = keys.org(org).slot(...group)
          const slots = new Set(siblings.map((p) => clusterSlot(slot.key(...p))))
          expect(slots.size).toBe(1)
          const global = keys.global.slot(...group)
          expect(new Set(siblings.map((p) => clusterSlot(global.key(...p)))).size).toBe(1)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('spreads plain keys of one organisation over many slots', () => {
    const slots = new Set(
      Array.from({ length: 200 }, (_, i) => clusterSlot(keys.org('big').key('item', i))),
    )
    expect(slots.size).toBeGreaterThan(150)
  })

  it('makes SCAN patterns that match their keys and not a sibling organisation', () => {
    fc.assert(
      fc.property(
        nasty.filter((o) => o.trim() !== ''),
        nasty.filter((o) => o.trim() !== ''),
        parts,
        parts,
        (org, other, under, rest) => {
          fc.pre(escapeKeyPart(org) !== escapeKeyPart(other))
          const mine = keys.org(org)
          const theirs = keys.org(other)
          const all = mine.pattern()
          const sub = mine.pattern(...under)
          expect(globMatch(all, mine.key(...under))).toBe(true)
          expect(globMatch(all, mine.slot(...under).key(...rest))).toBe(true)
          expect(globMatch(sub, mine.key(...under, ...rest))).toBe(true)
          expect(globMatch(sub, mine.key(...under))).toBe(false)
          expect(globMatch(all, theirs.key(...under))).toBe(false)
          expect(globMatch(all, theirs.slot(...under).key(...rest))).toBe(false)
          expect(globMatch(sub, theirs.key(...under, ...rest))).toBe(false)
          const slot = mine.slot(...under)
          expect(globMatch(slot.pattern(), slot.key(...rest))).toBe(true)
          expect(globMatch(mine.slotPattern(), slot.key(...rest))).toBe(true)
          expect(globMatch(mine.slotPattern(), mine.key(...rest))).toBe(false)
          expect(globMatch(keys.global.pattern(), mine.key(...rest))).toBe(false)
          expect(globMatch(keys.pattern(), mine.key(...rest))).toBe(true)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('escapeGlob makes any text match only itself', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '[', ']', '\\', '^', '-') }),
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '[', ']', '\\', '^', '-') }),
        (text, other) => {
          expect(globMatch(escapeGlob(text), text)).toBe(true)
          if (other !== text) expect(globMatch(escapeGlob(text), other)).toBe(false)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('patterns against a real Redis', () => {
  let server: RedisServer
  let redis: Redis
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`
  const builder = createKeyBuilder({ prefix })
  const orgs = ['acme', 'acme:x', 'acme*', 'ac?e', 'a[c]me', 'acme\\', 'acme%3A', '{acme}', 'açme']

  async function scan(match: string): Promise<string[]> {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000)
      cursor = next
      found.push(...batch)
    } while (cursor !== '0')
    return found.sort()
  }

  beforeAll(async () => {
    server = await startRedis()
    redis = new Redis(server.url)
  })
  afterAll(async () => {
    if (redis) {
      const mine = await scan(builder.pattern())
      if (mine.length > 0) await redis.unlink(...mine)
      redis.disconnect()
    }
    await server?.stop()
  })

  it('SCAN MATCH on an organisation pattern returns exactly its keys', async () => {
    const byOrg = new Map<string, string[]>()
    for (const org of orgs) {
      const scoped = builder.org(org)
      const own = [
        scoped.key('report', 1),
        scoped.key('report', '*'),
        scoped.key('search', 'q=a b'),
        scoped.slot('course', 42).key('bundle'),
        scoped.slot('course', '4?').key('version'),
      ]
      byOrg.set(org, own)
      await redis.mset(...own.flatMap((k) => [k, org]))
    }
    await redis.set(builder.global('rl', 'acme'), 'g')
    for (const org of orgs) {
      expect(await scan(builder.org(org).pattern())).toEqual([...byOrg.get(org)!].sort())
      expect(await scan(builder.org(org).pattern('report'))).toEqual(
        [builder.org(org).key('report', 1), builder.org(org).key('report', '*')].sort(),
      )
      expect(await scan(builder.org(org).slotPattern('course'))).toHaveLength(2)
    }
    expect(await scan(builder.global.pattern())).toEqual([builder.global('rl', 'acme')])
  })

  it('escapeGlob protects raw patterns', async () => {
    await redis.set(`${prefix}:raw:a*b`, '1')
    await redis.set(`${prefix}:raw:aXb`, '1')
    expect(await scan(`${prefix}:raw:${escapeGlob('a*b')}`)).toEqual([`${prefix}:raw:a*b`])
    await redis.unlink(`${prefix}:raw:a*b`, `${prefix}:raw:aXb`)
  })
})
