import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIdempotencyKey } from '../../src/http/idempotency-key-header.js'
import { parseLossless } from '../../src/idempotency/canonical-json.js'
import {
  canonicalJson,
  IDEMPOTENCY_SCRIPTS,
  invalidKeyReason,
  requestFingerprint,
} from '../../src/idempotency/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('idempotency scripts', () => {
  let server: RedisServer
  let admin: Redis
  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })

  it('every precomputed SHA equals what SCRIPT LOAD reports', async () => {
    expect(IDEMPOTENCY_SCRIPTS.length).toBe(4)
    for (const script of IDEMPOTENCY_SCRIPTS) {
      expect(await admin.script('LOAD', script.lua)).toBe(script.sha)
    }
  })
})

describe('canonical JSON and request fingerprints', () => {
  const json = (body: string, path = '/r') =>
    requestFingerprint({ method: 'POST', path, contentType: 'application/json', body })

  it('sorts keys at every depth, drops whitespace, keeps array order', () => {
    const text = canonicalJson(
      JSON.parse('{ "b": [2, 1, {"z":1,"y":2}], "a": { "d": 1.0, "c": null } }'),
    )
    expect(text).toBe('{"a":{"c":null,"d":1},"b":[2,1,{"y":2,"z":1}]}')
    expect(canonicalJson(JSON.parse('"\\u00e9\\n"'))).toBe('"é\\n"')
  })

  it('gives the same fingerprint to re-serialised JSON and a different one to a different payload', () => {
    expect(json('{"a":1,"b":[1,2]}')).toBe(json('{ "b": [1, 2],\n "a": 1.0 }'))
    expect(json('{"a":1,"b":[1,2]}')).not.toBe(json('{"a":1,"b":[2,1]}'))
    expect(json('{"a":1}')).not.toBe(json('{"a":"1"}'))
    // +json media types and parameters count as JSON.
    expect(
      requestFingerprint({
        method: 'post',
        path: '/r',
        contentType: 'application/merge-patch+json; charset=utf-8',
        body: '{"b":1,"a":2}',
      }),
    ).toBe(json('{"a":2,"b":1}'))
  })

  it('fingerprints numbers losslessly: beyond 2^53, beyond a double, and by value', () => {
    // Distinct values that one IEEE double cannot tell apart.
    expect(json('{"to_account":9007199254740993}')).not.toBe(
      json('{"to_account":9007199254740992}'),
    )
    expect(json('{"amount":0.10000000000000001}')).not.toBe(json('{"amount":0.1}'))
    // Out of a double's range: not null, not Infinity, and not each other.
    expect(json('{"n":1e400}')).not.toBe(json('{"n":null}'))
    expect(json('{"n":1e400}')).not.toBe(json('{"n":1e401}'))
    expect(json('{"n":-1e400}')).not.toBe(json('{"n":1e400}'))
    expect(json('{"n":1e-400}')).not.toBe(json('{"n":0}'))
    // The same value written differently is still the same payload.
    expect(json('{"n":1.0}')).toBe(json('{"n":1}'))
    expect(json('{"n":100}')).toBe(json('{"n":1e2}'))
    expect(json('{"n":1e400}')).toBe(json('{"n":10e399}'))
    expect(json('{"n":9007199254740993}')).toBe(json('{"n":9007199254740993.000}'))
    expect(json('{"n":-0}')).toBe(json('{"n":0}'))
  })

  it('writes numbers as JCS does whenever a double holds them exactly', () => {
    const canonical = (text: string) => canonicalJson(parseLossless(text))
    expect(canonical('[1.0, 1e2, 1.5e-7, 1e21, -0, 0.1]')).toBe('[1,100,1.5e-7,1e+21,0,0.1]')
    expect(canonical('[9007199254740993, 1e400, 0.10000000000000001, -12.50e-1000]')).toBe(
      '[9007199254740993e0,1e400,10000000000000001e-17,-125e-1001]',
    )
    // A key repeated with another value is not one JSON object: fall back to the bytes.
    expect(json('{"a":1,"a":2}')).not.toBe(json('{"a":2}'))
    expect(json('{"__proto__":1}')).not.toBe(json('{}'))
  })

  it('binds method and path, and hashes non-JSON bodies as raw bytes', () => {
    expect(json('{"a":1}', '/r')).not.toBe(json('{"a":1}', '/s'))
    expect(requestFingerprint({ method: 'PATCH', path: '/r', body: 'x' })).not.toBe(
      requestFingerprint({ method: 'POST', path: '/r', body: 'x' }),
    )
    const text = (body: string) =>
      requestFingerprint({ method: 'POST', path: '/r', contentType: 'text/plain', body })
    expect(text('{"a":1,"b":2}')).not.toBe(text('{"b":2,"a":1}'))
    expect(
      requestFingerprint({ method: 'POST', path: '/r', body: new Uint8Array([0, 255, 1]) }),
    ).not.toBe(
      requestFingerprint({ method: 'POST', path: '/r', body: new Uint8Array([0, 255, 2]) }),
    )
    // Invalid JSON under a JSON content type falls back to the bytes instead of throwing.
    expect(json('{oops')).toBe(json('{oops'))
    expect(json('{oops')).not.toBe(json('{oops '))
  })
})

describe('Idempotency-Key values', () => {
  it('accepts 1-255 printable ASCII characters, quoted (sf-string) or bare', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toEqual({
      ok: true,
      key: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    })
    expect(parseIdempotencyKey('8e03978e-40d5')).toEqual({ ok: true, key: '8e03978e-40d5' })
    expect(parseIdempotencyKey('"a \\"b\\" \\\\ c"')).toEqual({ ok: true, key: 'a "b" \\ c' })
    expect(parseIdempotencyKey(`"${'k'.repeat(255)}"`).ok).toBe(true)
  })

  it('rejects empty, too long, non-printable and malformed values', () => {
    for (const bad of [
      '""',
      '"   "',
      `"${'k'.repeat(256)}"`,
      'k'.repeat(256),
      '"abc',
      '"abc" x',
      '"a\\b"',
      '"é"',
      'a b',
      'a,b',
      '"a", "b"',
    ]) {
      expect(parseIdempotencyKey(bad).ok, bad).toBe(false)
    }
    expect(invalidKeyReason('')).toBeDefined()
    expect(invalidKeyReason('a\u0000b')).toBeDefined()
    expect(invalidKeyReason('ok-key')).toBeUndefined()
  })
})
