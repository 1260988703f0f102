import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { counterKey } from '../../src/counter/keys.js'
import { createSatchel, parseDuration, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

// Redis takes whole milliseconds: PX/PEXPIRE with 1000.5 is an error reply, and a script that
// passes it on fails the same way. Every duration is rounded to the nearest millisecond once,
// where it is parsed.
describe('fractional-millisecond durations reach Redis as whole milliseconds', () => {
  let server: RedisServer
  let satchel: Satchel
  let admin: Redis
  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, prefix: 'fd', timeouts: { commandMs: 1000 } })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel.close()
    admin.disconnect()
    await server.stop()
  })

  /** The PTTL of the one key whose name contains `part` (KEYS is fine in a test). */
  async function pttlOf(part: string): Promise<number> {
    const keys = await admin.keys(`*${part}*`)
    expect(keys, part).toHaveLength(1)
    return admin.pttl(keys[0]!)
  }

  it('rounds numbers and strings alike', () => {
    expect(parseDuration(1000.5, 'ttl')).toBe(1001)
    expect(parseDuration(1000.4, 'ttl')).toBe(1000)
    expect(parseDuration('1.0005s', 'ttl')).toBe(1001)
  })

  it('cache.set with grace 1500.5 stores the value, with a TTL, and counts no Redis error', async () => {
    await satchel.cache.set('graceful', 'v', { ttl: 60_000, grace: 1500.5, jitter: 0 })
    const pttl = await pttlOf('graceful')
    expect(pttl).toBeGreaterThan(60_000)
    expect(pttl).toBeLessThanOrEqual(61_501)
    expect(satchel.cache.stats().redisErrors).toBe(0)
  })

  it('cache.incr with ttl 1000.5 leaves a counter that expires', async () => {
    expect(await satchel.cache.incr('hits', 1, { ttl: 1000.5 })).toBe(1)
    const pttl = await pttlOf('hits')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(1001)
  })

  it('cache.expire with 1000.5 sets the TTL', async () => {
    await satchel.cache.incr('expiring', 1, { ttl: 60_000 })
    expect(await satchel.cache.expire('expiring', 1000.5)).toBe(true)
    const pttl = await pttlOf('expiring')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(1001)
  })

  it('idempotency with ttl 1000.5 stores the response (complete is not store-down)', async () => {
    const idem = satchel.idempotency({ ttl: 1000.5, lease: 2000.5 })
    const r = await idem.begin({
      key: 'frac-1',
      endpoint: 'POST /x',
      orgId: 'o1',
      principal: 'u1',
      fingerprint: 'f',
    })
    expect(r.kind).toBe('new')
    if (r.kind !== 'new') return
    expect(await r.complete({ status: 201, body: 'ok' })).toEqual({ stored: true })
    const replay = await idem.begin({
      key: 'frac-1',
      endpoint: 'POST /x',
      orgId: 'o1',
      principal: 'u1',
      fingerprint: 'f',
    })
    expect(replay.kind).toBe('replay')
  })

  it('locks with ttl 1000.5 acquire and extend', async () => {
    const lock = await satchel.locks.acquire('frac-lock', { ttl: 1000.5, retry: false })
    expect(await lock.extend(2000.5)).toBe(true)
    await lock.release()
  })

  it('a counter with ttl 1000.5 stores its recount with a TTL', async () => {
    const counter = satchel.counter({ name: 'frac', count: () => 3, ttl: 1000.5 })
    expect(await counter.get('a')).toBe(3)
    const pttl = await admin.pttl(counterKey('fd', 'frac', 'a'))
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(1001)
  })
})
