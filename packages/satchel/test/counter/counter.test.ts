import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COUNTER_SCRIPTS, type Counter, counterKey } from '../../src/counter/index.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { openTestDatabase, type TestDatabase, uniqueName } from '../db.js'
import { LOADED_MACHINE_SLACK_MS, sleep, timed } from '../helpers.js'
import { CountedTable } from './fixtures.js'

const COMMAND_MS = 50
const SETTLE_MS = 100
const CHURN_SETTLE_MS = 400

describe('counter: cached counts reconciled against the database', () => {
  let server: RedisServer
  let raw: Redis
  let db: TestDatabase
  let table: CountedTable
  let satchel: Satchel
  let counter: Counter
  const prefix = uniqueName('cnt')
  const key = (orgId: string) => counterKey(prefix, 'pending', orgId)

  beforeAll(async () => {
    server = await startRedis()
    raw = new Redis(server.url)
    db = await openTestDatabase()
    table = new CountedTable(db)
    await table.create()
    satchel = createSatchel({ redis: server.url, prefix, timeouts: { commandMs: COMMAND_MS } })
    counter = satchel.counter({
      name: 'pending',
      count: (orgId) => table.count(orgId),
      settle: SETTLE_MS,
      ttl: '10m',
    })
  })
  afterAll(async () => {
    await satchel?.close()
    raw?.disconnect()
    await table?.drop()
    await db?.close()
    await server?.stop()
  })

  it('precomputes each script SHA as the server computes it', async () => {
    for (const script of COUNTER_SCRIPTS) {
      expect(await raw.script('LOAD', script.lua)).toBe(script.sha)
    }
  })

  it('an increment on a missing key creates nothing; get recounts from the database', async () => {
    await table.insert('o-miss')
    expect(await counter.incr('o-miss')).toEqual({ applied: false, reason: 'not-cached' })
    expect(await raw.exists(key('o-miss'))).toBe(0)
    const recounts = counter.stats().recounts
    expect(await counter.get('o-miss')).toBe(1)
    expect(counter.stats().recounts - recounts).toBe(1)
    expect(await counter.get('o-miss')).toBe(1)
    expect(counter.stats().recounts - recounts).toBe(1)
    const ttl = await raw.pttl(key('o-miss'))
    expect(ttl).toBeGreaterThan(9 * 60_000)
    expect(ttl).toBeLessThanOrEqual(10 * 60_000)
  })

  it('incr and decr after the settle window adjust the cached value without recounting', async () => {
    expect(await counter.get('o-adj')).toBe(0)
    await sleep(SETTLE_MS + 20)
    const recounts = counter.stats().recounts
    await table.insert('o-adj')
    expect(await counter.incr('o-adj')).toEqual({ applied: true, value: 1 })
    await table.insert('o-adj')
    await table.insert('o-adj')
    expect(await counter.incr('o-adj', 2)).toEqual({ applied: true, value: 3 })
    await db.query(
      `DELETE FROM ${table.name} WHERE id = (SELECT min(id) FROM ${table.name} WHERE org_id = 'o-adj')`,
    )
    expect(await counter.decr('o-adj')).toEqual({ applied: true, value: 2 })
    expect(await counter.get('o-adj')).toBe(2)
    expect(counter.stats().recounts).toBe(recounts)
    expect(await table.count('o-adj')).toBe(2)
  })

  it('reconcile recounts and corrects drift, reporting it', async () => {
    for (let i = 0; i < 5; i++) await table.insert('o-drift')
    expect(await counter.get('o-drift')).toBe(5)
    await raw.hset(key('o-drift'), 'n', 9) // drifted
    expect(await counter.get('o-drift')).toBe(9)
    const drifts: number[] = []
    const off = satchel.events.on('counter:drift', (e) => drifts.push(e.drift))
    expect(await counter.reconcile('o-drift')).toEqual({
      before: 9,
      after: 5,
      drift: 4,
      stored: true,
      raced: false,
    })
    off()
    expect(drifts).toEqual([4])
    expect(await counter.get('o-drift')).toBe(5)
  })

  it('an increment landing inside the settle window is re-verified once the window passes', async () => {
    // The row is committed before the recount reads, but its increment arrives after the
    // recount stored its result: trusted blindly, it would be counted twice.
    await table.insert('o-window')
    expect(await counter.get('o-window')).toBe(1)
    expect(await counter.incr('o-window')).toMatchObject({ applied: true, value: 2 })
    await sleep(SETTLE_MS + 20)
    expect(await counter.get('o-window')).toBe(1)
  })

  it('a recount running during concurrent increments converges to the exact count', async () => {
    const slow = satchel.counter({
      name: 'pending',
      // A slow count widens the window in which increments race it.
      count: async (orgId) => {
        const n = await table.count(orgId)
        await sleep(Math.random() * 15)
        return n
      },
      // Wide enough that a stalled event loop on a busy CI machine stays inside it: the
      // guarantee assumes every increment lands within `settle` of its commit.
      settle: CHURN_SETTLE_MS,
    })
    // Several ids at once, each with writers racing a reconcile loop and a get loop.
    const orgs = ['o-churn-1', 'o-churn-2', 'o-churn-3', 'o-churn-4']
    let running = true
    const writers = orgs.flatMap((org) =>
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 25; i++) {
          await table.insert(org)
          await sleep(Math.random() * 10) // commit → incr gap, below `settle`
          await slow.incr(org)
        }
      }),
    )
    const readers = orgs.flatMap((org) =>
      [0, 1].map(async (r) => {
        while (running) {
          if (r === 0) await slow.reconcile(org)
          else await slow.get(org)
          await sleep(Math.random() * 3)
        }
      }),
    )
    await Promise.all(writers)
    running = false
    await Promise.all(readers)
    // Quiescence: no increment for one settle window.
    await sleep(CHURN_SETTLE_MS + 20)
    for (const org of orgs) {
      expect(await table.count(org)).toBe(100)
      expect(await slow.get(org), org).toBe(100)
      expect(await counter.get(org), org).toBe(100)
    }
  })

  it('Redis paused: get answers with the database count within commandMs + 20 ms; the value is recounted after', async () => {
    const paused = createSatchel({
      redis: server.url,
      prefix,
      timeouts: { commandMs: COMMAND_MS },
      breaker: { failureThreshold: 1000 },
    })
    let dbMs = 0
    const c = paused.counter({
      name: 'pending',
      count: async (orgId) => {
        const start = performance.now()
        const n = await table.count(orgId)
        dbMs += performance.now() - start
        return n
      },
      settle: SETTLE_MS,
    })
    try {
      await table.insert('o-down')
      expect(await c.get('o-down')).toBe(1)
      await sleep(SETTLE_MS + 20)
      await server.pause()
      await table.insert('o-down')
      expect(await c.incr('o-down')).toEqual({ applied: false, reason: 'unavailable' })
      dbMs = 0
      const r = await timed(c.get('o-down'))
      expect(r.value).toBe(2)
      expect(r.ms - dbMs).toBeLessThan(COMMAND_MS + LOADED_MACHINE_SLACK_MS)
      await server.resume()
      // The increment was lost (or is ambiguous): the value is forgotten and recounted, not served short.
      expect(await c.get('o-down')).toBe(2)
      expect(await counter.get('o-down')).toBe(2)
    } finally {
      await server.resume()
      await paused.close({ deadlineMs: 100 })
    }
  })

  it('with the counters flag off, get is the database count and Redis is not touched', async () => {
    const off = createSatchel({ redis: server.url, prefix, flags: '-counters' })
    try {
      const c = off.counter({ name: 'pending', count: (orgId) => table.count(orgId) })
      await table.insert('o-flag')
      expect(await c.get('o-flag')).toBe(1)
      expect(await c.incr('o-flag')).toEqual({ applied: false, reason: 'flag-off' })
      expect(await raw.exists(key('o-flag'))).toBe(0)
    } finally {
      await off.close()
    }
  })
})
