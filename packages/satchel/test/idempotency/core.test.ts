import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BeginResult, Idempotency, IdempotencyOptions } from '../../src/idempotency/index.js'
import { recordKey } from '../../src/idempotency/key.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('idempotency core (begin / complete / fail) against a real server', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel
  let prefixCounter = 0

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    await satchel?.close({ deadlineMs: 100 })
  })

  function setup(options: IdempotencyOptions = {}, flags?: string): Idempotency {
    satchel = createSatchel({
      redis: server.url,
      prefix: `t${++prefixCounter}`,
      timeouts: { commandMs: 2000 },
      flags,
    })
    return satchel.idempotency(options)
  }

  const base = { key: 'key-1', endpoint: 'POST /reports', orgId: 'org-1', principal: 'u-1' }
  const request = (overrides: Partial<typeof base & { fingerprint: string }> = {}) => ({
    ...base,
    fingerprint: 'fp-1',
    ...overrides,
  })

  function expectNew(r: BeginResult) {
    if (r.kind !== 'new') throw new Error(`expected new, got ${r.kind}`)
    return r
  }

  async function idemKeys(): Promise<string[]> {
    const out: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', `t${prefixCounter}:*`, 'COUNT', 1000)
      cursor = next
      out.push(...batch)
    } while (cursor !== '0')
    return out
  }

  it('replays a completed record byte for byte, with only allow-listed headers', async () => {
    const idem = setup()
    const body = new Uint8Array(512).map((_, i) => (i * 37) % 256) // binary, invalid UTF-8
    const first = expectNew(await idem.begin(request()))
    expect(first.takenOver).toBe(false)
    const stored = await first.complete({
      status: 201,
      headers: new Headers([
        ['Content-Type', 'application/octet-stream'],
        ['Location', '/reports/7'],
        ['Set-Cookie', 'session=secret'],
        ['X-Request-Id', 'abc'],
      ]),
      body,
    })
    expect(stored).toEqual({ stored: true })
    const again = await idem.begin(request())
    expect(again.kind).toBe('replay')
    if (again.kind !== 'replay') return
    expect(again.response.status).toBe(201)
    expect(Buffer.from(again.response.body).equals(Buffer.from(body))).toBe(true)
    expect(again.response.headers).toEqual([
      ['content-type', 'application/octet-stream'],
      ['location', '/reports/7'],
    ])
  })

  it('answers mismatch for the same key with a different fingerprint, pending or done', async () => {
    const idem = setup()
    const r = expectNew(await idem.begin(request()))
    expect((await idem.begin(request({ fingerprint: 'fp-2' }))).kind).toBe('mismatch')
    expect((await idem.begin(request())).kind).toBe('in-flight')
    await r.complete({ status: 200, body: 'ok' })
    expect((await idem.begin(request({ fingerprint: 'fp-2' }))).kind).toBe('mismatch')
    expect((await idem.begin(request())).kind).toBe('replay')
  })

  it('keeps records of different principals, organisations, endpoints and keys independent', async () => {
    const idem = setup()
    await expectNew(await idem.begin(request())).complete({ status: 200, body: 'a' })
    for (const other of [
      request({ principal: 'u-2' }),
      request({ orgId: 'org-2' }),
      request({ endpoint: 'POST /other' }),
      request({ key: 'key-2' }),
      { ...request(), orgId: undefined },
    ]) {
      // A different fingerprint too: an independent record is new, not a mismatch.
      const r = await idem.begin({ ...other, fingerprint: 'fp-other' })
      expect(r.kind, JSON.stringify(other)).toBe('new')
    }
    expect((await idem.begin(request())).kind).toBe('replay')
  })

  it('fail() removes the record so a retry runs; not-stored statuses do the same', async () => {
    const idem = setup({ maxBodyBytes: 10 })
    expect(await expectNew(await idem.begin(request())).fail()).toBe('ok')
    for (const status of [500, 503, 429, 409, 408]) {
      const r = expectNew(await idem.begin(request()))
      expect(await r.complete({ status, body: 'x' })).toEqual({ stored: false, reason: 'status' })
    }
    // A deterministic 4xx is stored and replayed.
    await expectNew(await idem.begin(request())).complete({ status: 422, body: 'invalid' })
    const replay = await idem.begin(request())
    expect(replay.kind === 'replay' && replay.response.status).toBe(422)
  })

  it('a body over maxBodyBytes completes the record as not replayable: no second run', async () => {
    const idem = setup({ maxBodyBytes: 10 })
    const big = expectNew(await idem.begin(request()))
    const headers = new Headers([
      ['location', '/exports/9'],
      ['set-cookie', 'a=b'],
    ])
    expect(await big.complete({ status: 201, headers, body: 'x'.repeat(11) })).toEqual({
      stored: false,
      reason: 'too-large',
    })
    const again = await idem.begin(request())
    expect(again).toEqual({
      kind: 'not-replayable',
      status: 201,
      headers: [['location', '/exports/9']],
      reason: 'too-large',
    })
    // The record keeps no body, and lives for the replay TTL like any completed one.
    const [key] = await idemKeys()
    expect(await admin.hget(key!, 'body')).toBe('')
    expect(await admin.pttl(key!)).toBeGreaterThan(60_000)
    // A different payload is still a mismatch.
    expect((await idem.begin(request({ fingerprint: 'fp-2' }))).kind).toBe('mismatch')
    // completeUnreplayable: a streamed body cut off.
    const cut = expectNew(await idem.begin(request({ key: 'key-2' })))
    expect(await cut.completeUnreplayable({ status: 200 }, 'incomplete')).toEqual({
      stored: false,
      reason: 'incomplete',
    })
    const dup = await idem.begin(request({ key: 'key-2' }))
    expect(dup.kind === 'not-replayable' && dup.reason).toBe('incomplete')
    // ...unless the status is one that is never stored: then the retry runs.
    const failed = expectNew(await idem.begin(request({ key: 'key-3' })))
    expect(await failed.completeUnreplayable({ status: 503 }, 'too-large')).toEqual({
      stored: false,
      reason: 'status',
    })
    expect((await idem.begin(request({ key: 'key-3' }))).kind).toBe('new')
  })

  it('an expired lease is taken over by exactly one of 10 concurrent retries', async () => {
    const idem = setup({ lease: 500 })
    const crashed = expectNew(await idem.begin(request()))
    await sleep(600) // lease over; the pending key lives for two leases
    const retries = await Promise.all(Array.from({ length: 10 }, () => idem.begin(request())))
    const winners = retries.filter((r) => r.kind === 'new')
    expect(winners).toHaveLength(1)
    expect(winners[0]?.kind === 'new' && winners[0].takenOver).toBe(true)
    expect(retries.filter((r) => r.kind === 'in-flight')).toHaveLength(9)
    // The crashed owner can no longer complete or delete the new owner's record.
    expect(await crashed.complete({ status: 200, body: 'late' })).toEqual({
      stored: false,
      reason: 'lease-lost',
    })
    expect(await crashed.fail()).toBe('lease-lost')
    const winner = winners[0]
    if (winner?.kind !== 'new') throw new Error('unreachable')
    expect(await winner.complete({ status: 200, body: 'winner' })).toEqual({ stored: true })
    const replay = await idem.begin(request())
    expect(replay.kind === 'replay' && Buffer.from(replay.response.body).toString()).toBe('winner')
  })

  it('after two leases the pending key is gone and the next request starts afresh', async () => {
    const idem = setup({ lease: 60 })
    expectNew(await idem.begin(request()))
    await sleep(150)
    const r = expectNew(await idem.begin(request({ fingerprint: 'fp-new' })))
    expect(r.takenOver).toBe(false)
  })

  it('extend() renews the lease, so a slow owner is not taken over', async () => {
    const idem = setup({ lease: 150 })
    const owner = expectNew(await idem.begin(request()))
    for (let i = 0; i < 4; i++) {
      await sleep(75)
      expect(await owner.extend()).toBe('ok')
    }
    expect((await idem.begin(request())).kind).toBe('in-flight')
    expect(await owner.complete({ status: 200, body: 'ok' })).toEqual({ stored: true })
  })

  it('binds records to hashed keys under <prefix>:idem:, and every key has a TTL', async () => {
    const idem = setup({ ttl: '1h', lease: '5s' })
    const userKey = 'raw:key*with{tag}'
    const done = expectNew(await idem.begin(request({ key: userKey, orgId: 'org:1' })))
    await done.complete({ status: 200, body: 'x' })
    expectNew(await idem.begin(request({ key: 'pending' })))
    expectNew(await idem.begin({ ...request({ key: 'global' }), orgId: undefined }))
    const keys = await idemKeys()
    expect(keys).toHaveLength(3)
    const p = `t${prefixCounter}`
    expect(
      keys.filter((k) => k.startsWith(`${p}:idem:o:org%3A1:POST%20/reports:u-1:`)),
    ).toHaveLength(1)
    expect(keys.filter((k) => k.startsWith(`${p}:idem:o:org-1:`))).toHaveLength(1)
    expect(keys.filter((k) => k.startsWith(`${p}:idem:g:`))).toHaveLength(1)
    for (const key of keys) {
      expect(key).not.toContain(userKey)
      expect(key).not.toContain('pending')
      const ttl = await admin.pttl(key)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(key.includes('org%3A1') ? 3_600_000 : 10_000)
    }
  })

  it('with the idempotency flag off, begin bypasses and writes nothing', async () => {
    const idem = setup({}, 'all,-idempotency')
    const r = await idem.begin(request())
    expect(r).toEqual({ kind: 'bypass', reason: 'flag-off' })
    expect(await idemKeys()).toEqual([])
  })

  it('memory-only: proceed bypasses, reject answers store-down', async () => {
    satchel = createSatchel({ prefix: 'mem' })
    const proceed = await satchel.idempotency({}).begin(request())
    expect(proceed.kind === 'bypass' && proceed.reason).toBe('store-down')
    const reject = await satchel.idempotency({ onStoreDown: 'reject' }).begin(request())
    expect(reject.kind).toBe('store-down')
  })

  it('falls back to EVAL after SCRIPT FLUSH, and treats a foreign record as store-down', async () => {
    const idem = setup()
    await expectNew(await idem.begin(request())).complete({ status: 200, body: 'ok' })
    await admin.script('FLUSH')
    expect((await idem.begin(request())).kind).toBe('replay')
    // A hash at the record's key that this module did not write (no status).
    const key = recordKey(satchel.keys, { ...base, key: 'foreign' })
    await admin.hset(key, 'state', 'done', 'fp', 'fp-1')
    await admin.pexpire(key, 60_000)
    const r = await idem.begin(request({ key: 'foreign' }))
    expect(r.kind === 'bypass' && r.reason).toBe('store-down')
  })

  it('emits an outcome event for each begin', async () => {
    const idem = setup()
    const outcomes: string[] = []
    satchel.events.on('idempotency:outcome', (e) => outcomes.push(e.outcome))
    const r = expectNew(await idem.begin(request()))
    await idem.begin(request())
    await r.complete({ status: 200, body: '' })
    await idem.begin(request())
    await idem.begin(request({ fingerprint: 'x' }))
    expect(outcomes).toEqual(['new', 'in-flight', 'replay', 'mismatch'])
  })

  it('rejects invalid keys as a result, and invalid options at creation', async () => {
    const idem = setup()
    expect((await idem.begin(request({ key: '' }))).kind).toBe('invalid-key')
    expect((await idem.begin(request({ key: 'x'.repeat(256) }))).kind).toBe('invalid-key')
    expect(() => satchel.idempotency({ replayHeaders: ['Set-Cookie'] })).toThrow(/set-cookie/)
    expect(() => satchel.idempotency({ lease: 'soon' })).toThrow(/idempotency.lease/)
  })
})
