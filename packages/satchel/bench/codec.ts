/**
 * Codec micro-benchmark: encode and decode throughput and encoded size for the candidate value
 * formats, on payloads shaped like the ones campus caches.
 *
 * Run: `npx tsx packages/satchel/bench/codec.ts` (add `--quick` for a fast smoke run). Prints
 * tables and writes `bench/results/codec.json`.
 */
import { pathToFileURL } from 'node:url'
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
} from 'node:zlib'
import { Packr } from 'msgpackr'
import { createCodec } from '../src/core/codec.js'
import { packValue, unpackValue } from '../src/core/codec-msgpack.js'
import { fromTagged, scanForTags, toTagged } from '../src/core/codec-tagged-json.js'
import { machine, writeResult } from './harness.js'

// ---------------------------------------------------------------------------------------------
// Payloads (deterministic, so runs are comparable)

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = [
  ...'fraction decimal ratio algebra geometry reading phonics essay cell'.split(' '),
  ...'energy planet history map civics vocabulary grammar equation graph'.split(' '),
]

function words(next: () => number, n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!)
  return out.join(' ')
}

function id(next: () => number): string {
  const hex = (max: number) => Math.floor(next() * max).toString(16)
  return `${hex(0xffffffff)}-${hex(0xffff)}`
}

function iso(next: () => number): string {
  return new Date(1_700_000_000_000 + Math.floor(next() * 3e10)).toISOString()
}

/** ~200 B: a session or flag-like record. */
function smallObject(): unknown {
  const next = rng(1)
  return {
    userId: id(next),
    orgId: id(next),
    role: 'teacher',
    email: 'ada.lovelace@example.edu',
    expiresAt: iso(next),
    grades: [3, 4, 5],
    active: true,
  }
}

/** ~5 KB: one page of an API listing (50 records). */
function apiPayload(): unknown {
  const next = rng(2)
  const rows = []
  for (let i = 0; i < 50; i++) {
    rows.push({
      sourcedId: id(next),
      title: words(next, 2),
      score: Math.round(next() * 1000) / 10,
      grade: 1 + Math.floor(next() * 12),
      updatedAt: iso(next),
    })
  }
  return { data: rows, page: 1, total: 1234 }
}

/** ~450 KB as JSON: a course bundle (16 units × 12 lessons × 8 resources with metadata). */
function courseBundle(): unknown {
  const next = rng(3)
  const units = []
  for (let u = 0; u < 16; u++) {
    const lessons = []
    for (let l = 0; l < 12; l++) {
      const resources = []
      for (let r = 0; r < 8; r++) {
        resources.push({
          sourcedId: id(next),
          title: words(next, 4),
          vendorResourceId: id(next),
          importance: next() > 0.5 ? 'primary' : 'secondary',
          metadata: {
            type: ['article', 'video', 'exercise', 'quiz'][Math.floor(next() * 4)],
            youtubeId: next() > 0.7 ? id(next) : null,
            durationSeconds: Math.floor(next() * 900),
            xp: Math.floor(next() * 50),
            tags: [words(next, 1), words(next, 1)],
          },
          dateLastModified: iso(next),
        })
      }
      lessons.push({ sourcedId: id(next), title: words(next, 3), sortOrder: l, resources })
    }
    units.push({ sourcedId: id(next), title: words(next, 3), sortOrder: u, lessons })
  }
  return { courseId: id(next), title: 'Grade 5 Math', fetchedAt: iso(next), units }
}

/** Special types: what plain JSON cannot carry. */
function specialTypes(): unknown {
  const next = rng(4)
  const scores = new Map<string, number>()
  for (let i = 0; i < 20; i++) scores.set(id(next), Math.floor(next() * 100))
  return {
    createdAt: new Date(1_700_000_000_000),
    expiresAt: new Date(1_800_000_000_000),
    total: 12345678901234567890n,
    scores,
    tags: new Set(['math', 'grade-5', 'fractions', 'remedial']),
    history: Array.from({ length: 10 }, (_, i) => ({ at: new Date(1_700_000_000_000 + i), n: i })),
  }
}

// ---------------------------------------------------------------------------------------------
// Candidates. Each writes the same 1-byte header the codec uses, so sizes compare fairly.

interface Candidate {
  name: string
  note: string
  encode(value: unknown): Buffer
  decode(buf: Buffer): unknown
}

function withHeader(header: number, text: string): Buffer {
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(text))
  buf[0] = header
  buf.write(text, 1)
  return buf
}

const REPLACER_TAG = '$t'

function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key]
  if (raw instanceof Date) return { [REPLACER_TAG]: 'D', v: raw.getTime() }
  if (typeof raw === 'bigint') return { [REPLACER_TAG]: 'B', v: raw.toString() }
  if (raw instanceof Map) return { [REPLACER_TAG]: 'M', v: [...raw] }
  if (raw instanceof Set) return { [REPLACER_TAG]: 'S', v: [...raw] }
  return v
}

function reviver(_key: string, v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
  const t = (v as Record<string, unknown>)[REPLACER_TAG]
  if (t === undefined) return v
  const inner = (v as { v: unknown }).v
  switch (t) {
    case 'D':
      return new Date(inner as number)
    case 'B':
      return BigInt(inner as string)
    case 'M':
      return new Map(inner as [unknown, unknown][])
    case 'S':
      return new Set(inner as unknown[])
  }
  return v
}

const packrPlain = new Packr({
  structuredClone: false,
  useRecords: false,
  moreTypes: true,
  int64AsType: 'bigint',
  useBigIntExtension: true,
})

const candidates: Candidate[] = [
  {
    name: 'json (baseline)',
    note: 'plain JSON; loses Date/Map/Set, throws on BigInt',
    encode: (v) => withHeader(0x80, JSON.stringify(v)),
    decode: (b) => JSON.parse(b.toString('utf8', 1)),
  },
  {
    name: 'json replacer/reviver',
    note: 'always runs the replacer and reviver',
    encode: (v) => withHeader(0x84, JSON.stringify(v, replacer)),
    decode: (b) => JSON.parse(b.toString('utf8', 1), reviver),
  },
  {
    name: 'tagged json + fast path',
    note: 'scan, then plain JSON.parse unless the header says tagged',
    encode: (v) =>
      scanForTags(v)
        ? withHeader(0x84, JSON.stringify(toTagged(v)))
        : withHeader(0x80, JSON.stringify(v)),
    decode: (b) => {
      const tree: unknown = JSON.parse(b.toString('utf8', 1))
      return (b[0]! & 0x0c) === 0x04 ? fromTagged(tree) : tree
    },
  },
  {
    name: 'msgpackr records',
    note: 'records, moreTypes, bigint; with the validating scan',
    encode: (v) => {
      const body = packValue(v)
      const buf = Buffer.allocUnsafe(1 + body.length)
      buf[0] = 0x80
      body.copy(buf, 1)
      return buf
    },
    decode: (b) => unpackValue(b.subarray(1)),
  },
  {
    name: 'msgpackr no records',
    note: 'useRecords:false; decodes Map as object (does not round-trip)',
    encode: (v) => {
      const body = packrPlain.pack(v)
      const buf = Buffer.allocUnsafe(1 + body.length)
      buf[0] = 0x88
      body.copy(buf, 1)
      return buf
    },
    decode: (b) => packrPlain.unpack(b.subarray(1)),
  },
]

// ---------------------------------------------------------------------------------------------
// Timing: warm up, then several timed rounds; report the median ops/s.

function opsPerSecond(fn: () => void, roundMs: number, rounds: number): number {
  const warmEnd = performance.now() + roundMs
  while (performance.now() < warmEnd) fn()
  const results: number[] = []
  for (let r = 0; r < rounds; r++) {
    let ops = 0
    const start = performance.now()
    let now = start
    while (now - start < roundMs) {
      fn()
      ops++
      now = performance.now()
    }
    results.push((ops * 1000) / (now - start))
  }
  results.sort((a, b) => a - b)
  return results[Math.floor(results.length / 2)]!
}

interface Row {
  payload: string
  candidate: string
  bytes: number
  encodeOps: number
  decodeOps: number
  roundTripOps: number
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)
}

/**
 * Runs the codec benchmark, prints its tables and writes `bench/results/codec.json`.
 * @example runCodecBench({ quick: true })
 */
export async function runCodecBench(options: { quick?: boolean } = {}): Promise<Row[]> {
  const roundMs = options.quick ? 50 : 400
  const rounds = options.quick ? 3 : 5
  const payloads: [string, unknown][] = [
    ['small (~200 B)', smallObject()],
    ['api page (~5 KB)', apiPayload()],
    ['course bundle (~450 KB)', courseBundle()],
    ['Date/Map/Set/BigInt', specialTypes()],
  ]
  const rows: Row[] = []
  for (const [payload, value] of payloads) {
    for (const c of candidates) {
      let buf: Buffer
      try {
        buf = c.encode(value)
        c.decode(buf)
      } catch {
        continue // the baseline cannot carry BigInt
      }
      const encodeOps = opsPerSecond(() => c.encode(value), roundMs, rounds)
      const decodeOps = opsPerSecond(() => c.decode(buf), roundMs, rounds)
      rows.push({
        payload,
        candidate: c.name,
        bytes: buf.length,
        encodeOps,
        decodeOps,
        roundTripOps: 1 / (1 / encodeOps + 1 / decodeOps),
      })
    }
  }
  console.log(`\nFormats (${JSON.stringify(machine())})`)
  console.table(
    rows.map((r) => ({
      payload: r.payload,
      candidate: r.candidate,
      bytes: r.bytes,
      'encode ops/s': fmt(r.encodeOps),
      'decode ops/s': fmt(r.decodeOps),
      'enc+dec ops/s': fmt(r.roundTripOps),
    })),
  )

  // Compression of the large payload in each format: what each algorithm costs and saves.
  const bodies: [string, Buffer][] = [
    ['json', Buffer.from(JSON.stringify(courseBundle()))],
    ['msgpack', packValue(courseBundle())],
    ['json (api page)', Buffer.from(JSON.stringify(apiPayload()))],
    ['msgpack (api page)', packValue(apiPayload())],
  ]
  const compressors: [string, (b: Buffer) => Buffer, (b: Buffer) => Buffer][] = [
    ['gzip level 1', (b) => gzipSync(b, { level: 1 }), gunzipSync],
    ['gzip level 6', (b) => gzipSync(b, { level: 6 }), gunzipSync],
    ...[1, 4, 6].map((q): [string, (b: Buffer) => Buffer, (b: Buffer) => Buffer] => [
      `brotli quality ${q}`,
      (b) =>
        brotliCompressSync(b, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: q,
            [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
          },
        }),
      (b) => brotliDecompressSync(b),
    ]),
  ]
  const compression = bodies.flatMap(([body, raw]) =>
    compressors.map(([algorithm, compress, decompress]) => {
      const packed = compress(raw)
      return {
        body,
        rawBytes: raw.length,
        algorithm,
        bytes: packed.length,
        ratio: Number((raw.length / packed.length).toFixed(2)),
        compressOps: opsPerSecond(() => compress(raw), roundMs, rounds),
        decompressOps: opsPerSecond(() => decompress(packed), roundMs, rounds),
      }
    }),
  )
  console.log('\nCompression of the course bundle and api page bodies')
  console.table(
    compression.map((c) => ({
      body: `${c.body} (${c.rawBytes} B)`,
      algorithm: c.algorithm,
      bytes: c.bytes,
      ratio: c.ratio,
      'compress ops/s': fmt(c.compressOps),
      'decompress ops/s': fmt(c.decompressOps),
    })),
  )

  // The shipped codec end to end.
  const configs: [string, ReturnType<typeof createCodec>][] = [
    ['defaults (msgpack, brotli-4 > 16 KiB)', createCodec()],
    ['msgpack, no compression', createCodec({ compression: false })],
    [
      'msgpack, gzip-1 > 16 KiB',
      createCodec({ compression: { threshold: 16_384, algorithm: 'gzip' } }),
    ],
    ['json, brotli-4 > 16 KiB', createCodec({ format: 'json' })],
  ]
  const shipped = configs.flatMap(([config, codec]) =>
    payloads.map(([payload, value]) => {
      const buf = codec.encode(value)
      return {
        config,
        payload,
        bytes: buf.length,
        encodeOps: opsPerSecond(() => codec.encode(value), roundMs, rounds),
        decodeOps: opsPerSecond(() => codec.decode(buf), roundMs, rounds),
      }
    }),
  )
  console.log('\ncreateCodec() end to end')
  console.table(
    shipped.map((s) => ({
      config: s.config,
      payload: s.payload,
      bytes: s.bytes,
      'encode ops/s': fmt(s.encodeOps),
      'decode ops/s': fmt(s.decodeOps),
    })),
  )

  const path = await writeResult('codec', {
    scenario: 'codec',
    at: new Date().toISOString(),
    machine: machine(),
    formats: rows,
    compression,
    shipped,
  })
  console.log(`\nwrote ${path}`)
  return rows
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCodecBench({ quick: process.argv.includes('--quick') })
}
