import { AsyncLocalStorage } from 'node:async_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { cacheBusReady } from '../helpers.js'

describe('cache: read events and the memory it holds', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('reports each L2 payload size in the reader’s async context, and nothing for L1 hits', async () => {
    // The writer publishes no bus messages: its sets' evictions could otherwise reach the
    // reader after its first reads and empty the L1 the second read is meant to hit.
    const writer = createSatchel({ redis: server.url, prefix: 'rev', cache: { bus: false } })
    const reader = createSatchel({ redis: server.url, prefix: 'rev' })
    // The bus's first subscription drops L1; the L1 assertions below need it done first.
    await cacheBusReady(reader)
    await writer.cache.set('a', 'x'.repeat(1000))
    await writer.cache.set('b', 'y'.repeat(10))
    const storage = new AsyncLocalStorage<string>()
    const seen: { route: string | undefined; key: string; bytes: number }[] = []
    const off = reader.events.on('cache:read', ({ key, bytes }) =>
      seen.push({ route: storage.getStore(), key, bytes }),
    )
    // Two reads in one event-loop turn share one MGET; each is still attributed to its caller.
    await Promise.all([
      storage.run('lesson', () => reader.cache.get('a')),
      storage.run('course', () => reader.cache.get('b')),
    ])
    expect(seen.map((s) => [s.route, s.key])).toEqual([
      ['lesson', 'a'],
      ['course', 'b'],
    ])
    const big = seen[0]!.bytes
    expect(big).toBeGreaterThan(1000)
    expect(seen[1]!.bytes).toBeLessThan(100)
    expect(reader.cache.stats().bytesRead).toBe(big + seen[1]!.bytes)
    // L1 now holds both: a second read costs Redis nothing and emits nothing.
    await reader.cache.get('a')
    expect(seen).toHaveLength(2)
    off()
    await reader.cache.get('a', { l1: false })
    expect(seen).toHaveLength(2)
    await Promise.all([writer.close(), reader.close()])
  })

  it('close() releases the in-process tier', async () => {
    const s = createSatchel({ redis: server.url, prefix: 'rev' })
    await cacheBusReady(s)
    await s.cache.set('big', 'z'.repeat(100_000))
    expect(s.cache.stats().l1.entries).toBe(1)
    await s.close()
    expect(s.cache.stats().l1).toEqual({ entries: 0, bytes: 0 })
  })
})
