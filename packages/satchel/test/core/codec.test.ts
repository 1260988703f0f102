import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Codec, type CodecFormat, createCodec, HEADER } from '../../src/core/codec.js'
import { EncodeError, InvalidOptionError } from '../../src/core/errors.js'

const msgpack = createCodec()
const json = createCodec({ format: 'json' })
const codecs: [CodecFormat, Codec][] = [
  ['msgpack', msgpack],
  ['json', json],
]

function roundTrip(codec: Codec, value: unknown): unknown {
  const result = codec.decode(codec.encode(value))
  if (!result.ok) throw result.error
  return result.value
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

/** Arbitrary values of every supported kind, nested. */
function valueArb(format: CodecFormat): fc.Arbitrary<unknown> {
  const strings =
    format === 'json'
      ? fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom('\ud800', '\udfff', 'a', '$', 't') }),
        )
      : fc.string({ unit: 'grapheme' })
  // fast-check deliberately biases fc.string() towards '__proto__'. msgpack renames that key
  // (documented, and tested on its own below), so the generic round trip leaves it to json.
  const anyKey = format === 'json' ? fc.string() : fc.string().filter((k) => k !== '__proto__')
  const key = fc.oneof(
    anyKey,
    fc.constantFrom('$t', 'v', '$$t', 'D', 'toString', ...(format === 'json' ? ['__proto__'] : [])),
  )
  const leaf = fc.oneof(
    strings,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.date(),
    fc.constantFrom({ $t: 'D', v: 1 }, { $t: 'O', v: [['a', 1]] }, { $t: 'U' }, ['$t', 'D']),
  )
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'value' },
      leaf,
      fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
      fc
        .array(fc.tuple(fc.oneof(tie('value'), fc.constant(undefined)), tie('value')), {
          maxLength: 4,
        })
        .map((entries) => new Map(entries)),
      fc.array(tie('value'), { maxLength: 4 }).map((items) => new Set(items)),
    ),
  }))
  return fc.oneof(value, fc.constant(undefined))
}

/** What each format promises to give back (see "Values" in codec.ts). */
function expected(format: CodecFormat, value: unknown): unknown {
  if (typeof value === 'number') return format === 'msgpack' && Object.is(value, -0) ? 0 : value
  if (typeof value !== 'object' || value === null || value instanceof Date) return value
  if (Array.isArray(value)) return value.map((v) => expected(format, v))
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [expected(format, k), expected(format, v)]))
  }
  if (value instanceof Set) return new Set([...value].map((v) => expected(format, v)))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    // JSON drops undefined properties, as JSON.stringify does.
    if (format === 'json' && v === undefined) continue
    Object.defineProperty(out, k, {
      value: expected(format, v),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

describe('round trips', () => {
  for (const [format, codec] of codecs) {
    it(`${format}: JSON values plus Date, BigInt, Map, Set, undefined slots`, () => {
      fc.assert(
        fc.property(valueArb(format), (value) => {
          expect(roundTrip(codec, value)).toStrictEqual(expected(format, value))
        }),
        { numRuns: 1000 },
      )
    })

    it(`${format}: the same through gzip and brotli`, () => {
      const brotli = createCodec({ format, compression: { threshold: 0 } })
      const gzip = createCodec({ format, compression: { threshold: 0, algorithm: 'gzip' } })
      fc.assert(
        fc.property(valueArb(format), (value) => {
          expect(roundTrip(brotli, value)).toStrictEqual(expected(format, value))
          expect(roundTrip(gzip, value)).toStrictEqual(expected(format, value))
        }),
        { numRuns: 200 },
      )
    })

    it(`${format}: objects that look like the tag format come back unchanged`, () => {
      const lookalikes = [
        { $t: 'D', v: 0 },
        { $t: 'B', v: '1' },
        { $t: 'M', v: [[1, 2]] },
        { $t: 'U' },
        { $t: 'O', v: [['$t', 'D']] },
        { $t: { $t: 'N', v: 'NaN' } },
        { $$t: 'D', v: 0 },
        { nested: [{ $t: 'S', v: [] }, new Map([['$t', { $t: 'X', v: '' }]])] },
        ['$t', 'D', { v: 1 }],
        '{"$t":"D","v":0}',
      ]
      for (const value of lookalikes) expect(roundTrip(codec, value)).toStrictEqual(value)
    })

    it(`${format}: dates, bigints, maps and sets keep their types`, () => {
      const value = {
        at: new Date('2024-05-01T12:34:56.789Z'),
        invalid: new Date(Number.NaN),
        small: 5n,
        huge: -(2n ** 130n),
        byId: new Map<unknown, unknown>([
          [1, 'one'],
          ['1', 'string one'],
          [new Date(0), new Set([1n])],
        ]),
        tags: new Set(['a', 'b']),
      }
      const back = roundTrip(codec, value) as typeof value
      expect(back).toStrictEqual(value)
      expect(back.at).toBeInstanceOf(Date)
      expect(back.byId.get('1')).toBe('string one')
      expect(typeof back.small).toBe('bigint')
    })

    it(`${format}: undefined at the top level and in arrays`, () => {
      expect(roundTrip(codec, undefined)).toBeUndefined()
      expect(roundTrip(codec, [1, undefined, 3])).toStrictEqual([1, undefined, 3])
      expect(roundTrip(codec, new Map([[undefined, undefined]]))).toStrictEqual(
        new Map([[undefined, undefined]]),
      )
    })

    it(`${format}: class instances become plain objects; toJSON is honoured`, () => {
      class Point {
        constructor(
          public x: number,
          public y: number,
        ) {}
        get length(): number {
          return Math.hypot(this.x, this.y)
        }
      }
      const back = roundTrip(codec, { p: new Point(3, 4) }) as { p: unknown }
      expect(back.p).toStrictEqual({ x: 3, y: 4 })
      const money = { amount: 1n, toJSON: () => '1.00 EUR' }
      expect(roundTrip(codec, { price: money, list: [money] })).toStrictEqual({
        price: '1.00 EUR',
        list: ['1.00 EUR'],
      })
    })

    it(`${format}: NaN and infinities survive`, () => {
      expect(
        roundTrip(codec, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
      ).toStrictEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
    })
  }

  it('-0: json keeps it, msgpack writes 0', () => {
    expect(Object.is(roundTrip(json, -0), -0)).toBe(true)
    expect(Object.is(roundTrip(msgpack, -0), 0)).toBe(true)
    expect(Object.is((roundTrip(msgpack, { z: -0 }) as { z: number }).z, 0)).toBe(true)
  })

  it('lone surrogates: json keeps them, msgpack turns them into U+FFFD', () => {
    expect(roundTrip(json, 'a\ud800b')).toBe('a\ud800b')
    expect(roundTrip(msgpack, 'a\ud800b')).toMatch(/^a\ufffd+b$/)
  })

  it('undefined properties: msgpack keeps them, json drops them', () => {
    expect(roundTrip(msgpack, { a: undefined, b: 1 })).toStrictEqual({ a: undefined, b: 1 })
    expect(roundTrip(json, { a: undefined, b: 1 })).toStrictEqual({ b: 1 })
  })

  it('"__proto__" keys: json keeps them as data; msgpack renames them, never pollutes', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>
    const fromJson = roundTrip(json, value) as Record<string, unknown>
    expect(Object.getPrototypeOf(fromJson)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(fromJson, '__proto__')?.value).toEqual({
      polluted: true,
    })
    const fromPack = roundTrip(msgpack, value) as Record<string, unknown>
    expect(Object.getPrototypeOf(fromPack)).toBe(Object.prototype)
    expect(fromPack.__proto_).toEqual({ polluted: true })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('binary: msgpack keeps typed arrays; json keeps Uint8Array as Buffer', () => {
    const bytes = new Uint8Array([0, 1, 254, 255])
    expect(roundTrip(msgpack, { bytes })).toStrictEqual({ bytes })
    expect(roundTrip(msgpack, new Float64Array([1.5]))).toStrictEqual(new Float64Array([1.5]))
    expect(roundTrip(msgpack, /a+b/gi)).toStrictEqual(/a+b/gi)
    expect(roundTrip(json, { bytes })).toStrictEqual({ bytes: Buffer.from(bytes) })
    expect(roundTrip(json, Buffer.from('hi'))).toStrictEqual(Buffer.from('hi'))
    expect(() => json.encode(new Float64Array(1))).toThrow(EncodeError)
    expect(() => json.encode(/x/)).toThrow(EncodeError)
  })

  it('each format reads the other, so the format can change on a live system', () => {
    const value = { at: new Date(1), n: 1n, s: new Set([1]) }
    expect(json.decode(msgpack.encode(value))).toStrictEqual({ ok: true, value })
    expect(msgpack.decode(json.encode(value))).toStrictEqual({ ok: true, value })
  })

  it('msgpack: rows of one shape decode alike below and above the compiled-reader size', () => {
    // Small bodies are read by msgpackr's interpreting reader, larger ones by its compiled
    // record readers: both must give back the same types (a Map must not become an object).
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: i,
        title: `Lesson ${i}`,
        at: new Date(i),
        scores: new Map([[`k${i}`, BigInt(i)]]),
        tags: new Set([i]),
      }))
    const sizes: number[] = []
    for (const n of [1, 4, 60]) {
      const value = { course: 'c', rows: rows(n) }
      const buf = msgpack.encode(value)
      sizes.push(buf.length)
      const back = roundTrip(msgpack, value) as typeof value
      expect(back).toStrictEqual(value)
      expect(back.rows.at(-1)?.scores).toBeInstanceOf(Map)
    }
    expect(Math.min(...sizes)).toBeLessThan(1024)
    expect(Math.max(...sizes)).toBeGreaterThan(1024)
  })

  it('accepts a plain Uint8Array as well as a Buffer', () => {
    const buf = msgpack.encode({ a: 1 })
    expect(msgpack.decode(new Uint8Array(buf))).toStrictEqual({ ok: true, value: { a: 1 } })
  })
})

describe('wire format', () => {
  it('writes the documented header bytes', () => {
    expect(msgpack.encode({ a: 1 })[0]).toBe(0x80)
    expect(json.encode({ a: 1 })[0]).toBe(0x84)
    expect(json.encode({ a: 1 }).subarray(1).toString()).toBe('{"a":1}')
    expect(json.encode({ a: new Date(0) })[0]).toBe(0x88)
    const big = { text: 'x'.repeat(20_000) }
    expect(msgpack.encode(big)[0]).toBe(0x80 | HEADER.COMPRESSION_BROTLI)
    expect(createCodec({ compression: { threshold: 100, algorithm: 'gzip' } }).encode(big)[0]).toBe(
      0x80 | HEADER.COMPRESSION_GZIP,
    )
  })

  it('compresses a compressible 100 KB value and round-trips it', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: i,
      title: `Lesson ${i % 20}: fractions and decimals`,
      kind: 'video',
    }))
    for (const algorithm of ['brotli', 'gzip'] as const) {
      const codec = createCodec({ compression: { threshold: 16_384, algorithm } })
      const plain = createCodec({ compression: false }).encode(rows)
      expect(plain.length).toBeGreaterThan(30_000)
      const packed = codec.encode(rows)
      expect(packed.length).toBeLessThan(plain.length / 4)
      expect(codec.decode(packed)).toStrictEqual({ ok: true, value: rows })
    }
    const text = 'the quick brown fox '.repeat(5000)
    expect(msgpack.encode(text).length).toBeLessThan(10_000)
    expect(roundTrip(msgpack, text)).toBe(text)
  })

  it('compresses only above the threshold, and never stores a larger compressed body', () => {
    const codec = createCodec({ compression: { threshold: 1000 } })
    expect(codec.encode('x'.repeat(900))[0]! & 0b11).toBe(HEADER.COMPRESSION_NONE)
    expect(codec.encode('x'.repeat(1100))[0]! & 0b11).toBe(HEADER.COMPRESSION_BROTLI)
    const noise = randomBytes(50_000).toString('base64')
    const gzip = createCodec({ compression: { threshold: 0, algorithm: 'gzip', level: 9 } })
    const incompressible = randomBytes(20_000)
    expect(gzip.encode(incompressible)[0]! & 0b11).toBe(HEADER.COMPRESSION_NONE)
    expect(roundTrip(gzip, noise)).toBe(noise)
  })
})

describe('malformed payloads are results, never exceptions', () => {
  const encoded = msgpack.encode({ id: 7, title: 'Fractions', tags: ['a', 'b'] })

  it.each([
    ['empty', Buffer.alloc(0), 'empty'],
    ['plain JSON written by something else', Buffer.from('{"a":1}'), 'unknown-format'],
    ['a plain number', Buffer.from('42'), 'unknown-format'],
    ['an unknown version', Buffer.from([0x90, 0x80]), 'unknown-format'],
    ['the reserved format', Buffer.from([0x8c, 0x80]), 'unknown-format'],
    ['the reserved compression', Buffer.from([0x83, 0x80]), 'unknown-format'],
    ['a header and nothing else', Buffer.from([0x80]), 'corrupt'],
    ['truncated msgpack', encoded.subarray(0, encoded.length - 3), 'corrupt'],
    ['trailing bytes', Buffer.concat([encoded, Buffer.from([0x01])]), 'corrupt'],
    ['bad JSON', Buffer.concat([Buffer.from([0x84]), Buffer.from('{"a":')]), 'corrupt'],
    ['an unknown tag', Buffer.concat([Buffer.from([0x88]), Buffer.from('{"$t":"Z"}')]), 'corrupt'],
    [
      'a malformed tag',
      Buffer.concat([Buffer.from([0x88]), Buffer.from('{"$t":"B","v":"1.5"}')]),
      'corrupt',
    ],
    [
      'a broken map tag',
      Buffer.concat([Buffer.from([0x88]), Buffer.from('{"$t":"M","v":[1]}')]),
      'corrupt',
    ],
    ['garbage behind a gzip header', Buffer.from([0x81, 1, 2, 3]), 'corrupt'],
    ['garbage behind a brotli header', Buffer.from([0x82, 0xff, 0xff, 0xff]), 'corrupt'],
  ])('%s', (_name, buf, reason) => {
    for (const [, codec] of codecs) {
      const result = codec.decode(buf)
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.reason).toBe(reason)
        expect(result.error).toBeInstanceOf(Error)
      }
    }
  })

  it('rejects a string (a value read with get instead of getBuffer)', () => {
    const result = msgpack.decode('\x80abc' as never)
    expect(result).toMatchObject({ ok: false, reason: 'unknown-format' })
  })

  it('never throws on random bytes, with or without a valid header', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0x80, max: 0x8f }),
        (bytes, header) => {
          for (const buf of [Buffer.from(bytes), Buffer.concat([Buffer.from([header]), bytes])]) {
            expect(() => msgpack.decode(buf)).not.toThrow()
          }
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('reports every truncation of a container value as malformed', () => {
    const compressed = createCodec({ compression: { threshold: 0 } })
    const gzip = createCodec({ compression: { threshold: 0, algorithm: 'gzip' } })
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(valueArb('msgpack'), { minLength: 1, maxLength: 4 }),
          fc.dictionary(fc.string(), fc.integer(), { minKeys: 1, maxKeys: 6 }),
        ),
        (value) => {
          for (const codec of [msgpack, json, compressed, gzip]) {
            const buf = codec.encode(value)
            for (let cut = 0; cut < buf.length; cut++) {
              expect(codec.decode(buf.subarray(0, cut)).ok).toBe(false)
            }
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('refuses to inflate past maxDecodedBytes', () => {
    const small = createCodec({ maxDecodedBytes: 10_000 })
    const bomb = msgpack.encode('z'.repeat(1_000_000))
    expect(bomb.length).toBeLessThan(2_000)
    expect(small.decode(bomb)).toMatchObject({ ok: false, reason: 'too-large' })
    expect(msgpack.decode(bomb).ok).toBe(true)
  })
})

describe('encoding errors', () => {
  for (const [format, codec] of codecs) {
    it(`${format}: refuses functions, symbols and built-ins it cannot store, naming the path`, () => {
      const cases: [unknown, RegExp][] = [
        [() => 1, /function at \$$/],
        [{ a: [1, { f() {} }] }, /function at \$\.a\[1\]\.f/],
        [{ 'odd key': Symbol('s') }, /symbol at \$\["odd key"\]/],
        [{ p: Promise.resolve(1) }, /Promise.*await/],
        [new WeakMap(), /WeakMap/],
        [{ e: new Error('boom') }, /Error/],
        [new Map([['k', () => 1]]), /function/],
        [new Set([Symbol('s')]), /symbol/],
        [{ x: { toJSON: () => () => 1 } }, /function/],
      ]
      for (const [value, message] of cases) {
        const error = errorOf(() => codec.encode(value))
        expect(error).toBeInstanceOf(EncodeError)
        expect((error as Error).message).toMatch(message)
      }
    })

    it(`${format}: refuses cycles and absurd nesting, accepts deep-but-sane values`, () => {
      const cyclic: Record<string, unknown> = { a: 1 }
      cyclic.self = cyclic
      expect(() => codec.encode(cyclic)).toThrow(EncodeError)
      const cyclicMap = new Map<string, unknown>()
      cyclicMap.set('me', cyclicMap)
      expect(() => codec.encode(cyclicMap)).toThrow(EncodeError)
      let deep: unknown = 'leaf'
      for (let i = 0; i < 1500; i++) deep = [deep]
      expect(() => codec.encode(deep)).toThrow(/deeper than 1000/)
      let sane: unknown = 'leaf'
      for (let i = 0; i < 500; i++) sane = { child: sane }
      expect(roundTrip(codec, sane)).toStrictEqual(sane)
    })

    it(`${format}: wraps a throwing getter in EncodeError`, () => {
      const value = {
        get boom(): never {
          throw new Error('getter failed')
        },
      }
      const error = errorOf(() => codec.encode(value))
      expect(error).toBeInstanceOf(EncodeError)
      expect((error as EncodeError).message).toContain('getter failed')
    })
  }
})

describe('size guard and options', () => {
  it('encodeBounded refuses values over maxValueBytes so the caller can skip the write', () => {
    const codec = createCodec({ maxValueBytes: 100, compression: false })
    expect(codec.maxValueBytes).toBe(100)
    const ok = codec.encodeBounded({ a: 1 })
    expect(ok.ok && codec.decode(ok.buf)).toStrictEqual({ ok: true, value: { a: 1 } })
    const refused = codec.encodeBounded('x'.repeat(200))
    expect(refused).toMatchObject({ ok: false, reason: 'too-large', limit: 100 })
    expect(!refused.ok && refused.bytes).toBeGreaterThan(200)
    expect(createCodec().maxValueBytes).toBe(8 * 1024 * 1024)
    expect(createCodec({ maxValueBytes: Number.POSITIVE_INFINITY }).encodeBounded('x').ok).toBe(
      true,
    )
  })

  it('measures the limit after compression', () => {
    const codec = createCodec({ maxValueBytes: 5_000, compression: { threshold: 1_000 } })
    expect(codec.encodeBounded('y'.repeat(50_000)).ok).toBe(true)
  })

  it.each([
    [{ format: 'xml' as never }, 'codec.format'],
    [{ compression: { threshold: -1 } }, 'codec.compression.threshold'],
    [{ compression: { threshold: Number.NaN } }, 'codec.compression.threshold'],
    [{ compression: { threshold: 0, algorithm: 'zstd' as never } }, 'codec.compression.algorithm'],
    [
      { compression: { threshold: 0, algorithm: 'gzip' as const, level: 10 } },
      'codec.compression.level',
    ],
    [{ compression: { threshold: 0, level: 12 } }, 'codec.compression.level'],
    [{ maxValueBytes: 0 }, 'codec.maxValueBytes'],
    [{ maxDecodedBytes: Number.POSITIVE_INFINITY }, 'codec.maxDecodedBytes'],
  ])('rejects %j', (options, field) => {
    const error = errorOf(() => createCodec(options))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).field).toBe(field)
  })
})
