import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { WarmEntry, WarmProgress } from '../../src/cache/types.js'
import { warmCache } from '../../src/cache/warm.js'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { sleep } from '../helpers.js'

describe('warmCache against a real Redis', () => {
  let server: RedisServer
  let satchel: Satchel
  let raw: Redis

  beforeAll(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, prefix: 'warm' })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    raw?.disconnect()
    await server?.stop()
  })
  beforeEach(async () => {
    await raw.flushdb()
  })

  /** Entries whose factories record how many loads are in flight at once. */
  function tracked(count: number, tag: string) {
    const state = { inFlight: 0, maxInFlight: 0 }
    const entries: WarmEntry<{ n: number }>[] = Array.from({ length: count }, (_, n) => ({
      key: satchel.keys.org('o1').key(tag, n),
      factory: async () => {
        state.inFlight++
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
        await sleep(5 + (n % 3) * 3)
        state.inFlight--
        return { n }
      },
    }))
    return { entries, state }
  }

  it('never runs more loads at once than the bound, and stores every entry', async () => {
    const { entries, state } = tracked(30, 'bound')
    const result = await warmCache(satchel.cache, entries, { concurrency: 4 }, satchel.events)
    expect(result).toEqual({ loaded: 30, failed: 0, errors: [] })
    expect(state.maxInFlight).toBe(4)
    for (const entry of entries) {
      expect(await raw.exists(entry.key)).toBe(1)
      expect(await satchel.cache.get(entry.key)).toEqual({ n: Number(entry.key.split(':').at(-1)) })
    }
  })

  it('defaults to a bound of 8', async () => {
    const { entries, state } = tracked(24, 'default')
    await warmCache(satchel.cache, entries, {}, satchel.events)
    expect(state.maxInFlight).toBe(8)
  })

  it('reports progress counting up to total, via onProgress and the cache:warm event', async () => {
    const { entries } = tracked(12, 'progress')
    const progress: WarmProgress[] = []
    const events: { namespace: string; done: number; total: number }[] = []
    const off = satchel.events.on('cache:warm', (e) => events.push(e))
    const bundles = satchel.cache.namespace('bundles')
    try {
      await warmCache(
        bundles,
        entries,
        { concurrency: 3, onProgress: (p) => progress.push(p) },
        satchel.events,
      )
    } finally {
      off()
    }
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(progress.every((p) => p.total === 12 && p.failed === 0)).toBe(true)
    expect(new Set(progress.map((p) => p.key))).toEqual(new Set(entries.map((e) => e.key)))
    expect(events).toHaveLength(12)
    expect(events.every((e) => e.namespace === 'bundles' && e.total === 12)).toBe(true)
    expect(events.at(-1)?.done).toBe(12)
  })

  it('collects failures with their keys and keeps going', async () => {
    const boom = new Error('database down for this row')
    const entries: WarmEntry<string>[] = Array.from({ length: 10 }, (_, n) => ({
      key: satchel.keys.org('o1').key('fail', n),
      factory: async () => {
        if (n % 3 === 0) throw boom
        return `v${n}`
      },
    }))
    const progress: WarmProgress[] = []
    const result = await warmCache(
      satchel.cache,
      entries,
      { concurrency: 2, onProgress: (p) => progress.push(p) },
      satchel.events,
    )
    expect(result.loaded).toBe(6)
    expect(result.failed).toBe(4)
    const failedKeys = [0, 3, 6, 9].map((n) => satchel.keys.org('o1').key('fail', n))
    expect(result.errors.map((e) => e.key).sort()).toEqual([...failedKeys].sort())
    for (const e of result.errors) {
      // The engine may wrap the factory's error (E_FACTORY_ERROR with the original as cause).
      const error = e.error as Error & { cause?: unknown }
      expect(
        error === boom || error.cause === boom || error instanceof errors.E_FACTORY_ERROR,
      ).toBe(true)
    }
    expect(progress.at(-1)).toMatchObject({ done: 10, total: 10, failed: 4 })
    expect(await raw.exists(...failedKeys)).toBe(0)
    expect(await satchel.cache.get(satchel.keys.org('o1').key('fail', 1))).toBe('v1')
  })

  it('pulls from an async generator lazily, never more than the bound ahead', async () => {
    let yielded = 0
    let completed = 0
    let maxAhead = 0
    async function* rows(): AsyncGenerator<WarmEntry<number>> {
      for (let n = 0; n < 25; n++) {
        await sleep(1)
        yielded++
        maxAhead = Math.max(maxAhead, yielded - completed)
        yield {
          key: satchel.keys.org('o2').key('gen', n),
          factory: async () => {
            await sleep(4)
            completed++
            return n
          },
        }
      }
    }
    const progress: WarmProgress[] = []
    const result = await warmCache(
      satchel.cache,
      rows(),
      { concurrency: 3, onProgress: (p) => progress.push(p) },
      satchel.events,
    )
    expect(result).toEqual({ loaded: 25, failed: 0, errors: [] })
    expect(maxAhead).toBeLessThanOrEqual(3)
    expect(progress.at(-1)).toMatchObject({ done: 25, total: 25 })
    expect(await satchel.cache.get(satchel.keys.org('o2').key('gen', 24))).toBe(24)
  })

  it('works with a plain sync generator and rejects a bound below 1', async () => {
    function* rows(): Generator<WarmEntry<number>> {
      for (let n = 0; n < 5; n++)
        yield { key: satchel.keys.org('o3').key('sync', n), factory: () => n }
    }
    expect(await warmCache(satchel.cache, rows(), { concurrency: 2 }, satchel.events)).toEqual({
      loaded: 5,
      failed: 0,
      errors: [],
    })
    await expect(
      warmCache(satchel.cache, rows(), { concurrency: 0 }, satchel.events),
    ).rejects.toMatchObject({ code: 'E_INVALID_OPTION', field: 'concurrency' })
  })
})
