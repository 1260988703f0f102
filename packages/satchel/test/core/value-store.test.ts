import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('values: encoded reads and writes through the gateway', () => {
  let server: RedisServer
  let satchel: Satchel
  let raw: Redis
  beforeAll(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, codec: { maxValueBytes: 1024 } })
  })
  afterAll(async () => {
    raw.disconnect()
    await satchel.close()
    await server.stop()
  })

  it('round-trips rich values and always sets a TTL', async () => {
    const value = {
      at: new Date('2026-01-02T03:04:05.678Z'),
      big: 2n ** 70n,
      byId: new Map([[1, 'a']]),
      tags: new Set(['x', 'y']),
    }
    const written = await satchel.values.set('v:rich', value, { ttlMs: 60_000 })
    expect(written.stored).toBe(true)
    const read = await satchel.values.get<typeof value>('v:rich')
    expect(read.hit).toBe(true)
    if (read.hit) expect(read.value).toEqual(value)
    const pttl = await raw.pttl('v:rich')
    expect(pttl).toBeGreaterThan(59_000)
    expect(pttl).toBeLessThanOrEqual(60_000)
    const stats = satchel.stats()
    expect(stats.bytesWritten).toBeGreaterThan(0)
    expect(stats.bytesRead).toBe(stats.bytesWritten)
  })

  it('treats a malformed payload as a miss plus an event, never an exception', async () => {
    const seen: string[] = []
    const off = satchel.events.on('value:malformed', ({ key }) => seen.push(key))
    for (const garbage of ['not an encoded value', '', Buffer.from([0xff, 0x00, 0x13])]) {
      await raw.set('v:bad', garbage)
      const read = await satchel.values.get('v:bad')
      expect(read).toEqual({ hit: false, reason: 'malformed' })
    }
    off()
    expect(seen).toEqual(['v:bad', 'v:bad', 'v:bad'])
    expect(satchel.stats().malformed).toBe(3)
  })

  it('does not store a value over maxValueBytes and emits value:too-large', async () => {
    const events: { bytes: number; limit: number }[] = []
    const off = satchel.events.on('value:too-large', (e) => events.push(e))
    const big = { text: 'x'.repeat(5000) }
    const written = await satchel.values.set('v:big', big, { ttlMs: 1000 })
    off()
    expect(written).toMatchObject({ stored: false, reason: 'too-large' })
    expect(await raw.exists('v:big')).toBe(0)
    expect(events).toHaveLength(1)
    expect(events[0]!.limit).toBe(1024)
    expect(events[0]!.bytes).toBeGreaterThan(1024)
  })

  it('reports a plain miss', async () => {
    expect(await satchel.values.get('v:absent')).toEqual({ hit: false, reason: 'miss' })
  })

  it('falls back with reason "unavailable" while Redis is paused', async () => {
    const fast = createSatchel({ redis: server.url, timeouts: { commandMs: 30 } })
    await fast.connect()
    await server.pause()
    try {
      const read = await fast.values.get('v:rich')
      expect(read).toMatchObject({ hit: false, reason: 'unavailable' })
      const write = await fast.values.set('v:rich', 1, { ttlMs: 1000 })
      expect(write).toMatchObject({ stored: false, reason: 'unavailable' })
      expect(fast.stats().errors).toBe(2)
    } finally {
      await server.resume()
      await fast.close()
    }
  })
})
