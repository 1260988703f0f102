import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, escapeGlob, type Satchel } from '../../src/index.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'

const N = 10_000

/** `INFO commandstats` of one server as { command: calls }. */
async function commandStats(admin: Redis): Promise<Record<string, number>> {
  const text = await admin.info('commandstats')
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim())
    if (m) out[m[1]!] = Number(m[2])
  }
  return out
}

/** Data commands only: the bus (publish/ping), the client's topology reads and our probes aside. */
const BACKGROUND = new Set([
  'info',
  'config|resetstat',
  'config',
  'cluster|slots',
  'cluster|shards',
  'cluster|nodes',
  'cluster',
  'ping',
  'spublish',
  'publish',
  'ssubscribe',
  'subscribe',
  'client|setinfo',
  'client|setname',
  'client',
  'hello',
  'readonly',
])

describe('tags and delPattern over 10,000 keys on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster
  let satchel: Satchel
  let admins: Redis[]

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 0 })
    satchel = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      prefix: 'cs',
      timeouts: { commandMs: 5000, connectMs: 5000 },
    })
    await satchel.connect()
    admins = cluster.masters.map((m) => new Redis({ host: m.host, port: m.port }))
  })
  afterAll(async () => {
    for (const a of admins ?? []) a.disconnect()
    await satchel?.close()
    await cluster?.stop()
  })

  async function dataCommands(): Promise<Record<string, number>> {
    const total: Record<string, number> = {}
    for (const admin of admins) {
      for (const [cmd, calls] of Object.entries(await commandStats(admin))) {
        if (!BACKGROUND.has(cmd)) total[cmd] = (total[cmd] ?? 0) + calls
      }
    }
    return total
  }

  it('invalidateTags costs one Redis command however many keys carry the tag', async () => {
    const org = satchel.keys.org('org-t')
    const keys = Array.from({ length: N }, (_, i) => org.key('item', i))
    await satchel.cache.mset(
      keys.map((key, i) => ({
        key,
        value: { i },
        options: { tags: [i % 2 === 0 ? 'course:even' : 'course:odd'] },
      })),
    )
    for (const admin of admins) await admin.config('RESETSTAT')
    await satchel.cache.invalidateTags(['course:even'])
    // One script call (an EVAL after it only when the server had not cached the script yet);
    // Redis also counts the commands the script runs: one TIME, and one HGET and HSET per tag.
    const commands = await dataCommands()
    expect(commands.evalsha).toBe(1)
    expect(commands.eval ?? 0).toBeLessThanOrEqual(1)
    expect(commands).toMatchObject({ time: 1, hget: 1, hset: 1 })

    // Every even entry is now a miss, for this instance (L1) and a fresh one (L2).
    const local = await satchel.cache.mget<{ i: number }>(keys)
    const other = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      prefix: 'cs',
      timeouts: { commandMs: 5000, connectMs: 5000 },
    })
    try {
      const remote = await other.cache.mget<{ i: number }>(keys)
      for (const got of [local, remote]) {
        expect(got.filter((v) => v === undefined)).toHaveLength(N / 2)
        expect(got).toEqual(keys.map((_, i) => (i % 2 === 0 ? undefined : { i })))
      }
      // Two tags cost the same single script call.
      for (const admin of admins) await admin.config('RESETSTAT')
      await other.cache.invalidateTags(['course:odd', 'course:other'])
      expect(await dataCommands()).toEqual({ evalsha: 1, time: 1, hget: 2, hset: 2 })
      expect((await satchel.cache.mget(keys)).every((v) => v === undefined)).toBe(true)
    } finally {
      await other.close()
    }
  })

  it('delPattern removes exactly the matching keys on every master, with SCAN, never KEYS', async () => {
    const a = satchel.keys.org('org-a')
    const b = satchel.keys.org('org-b')
    const matching = Array.from({ length: 6_000 }, (_, i) => a.key('report', i))
    const others = [
      ...Array.from({ length: 2_000 }, (_, i) => a.key('other', i)),
      ...Array.from({ length: 2_000 }, (_, i) => b.key('report', i)),
    ]
    await satchel.cache.mset([...matching, ...others].map((key) => ({ key, value: 1 })))
    const before = await Promise.all(admins.map((x) => x.dbsize()))
    for (const admin of admins) await admin.config('RESETSTAT')

    expect(await satchel.cache.delPattern(a.pattern('report'))).toBe(6_000)

    const after = await Promise.all(admins.map((x) => x.dbsize()))
    // Every master held some of the matching keys and lost exactly those.
    before.forEach((n, i) => {
      expect(n - after[i]!).toBeGreaterThan(1_000)
    })
    expect(before.reduce((x, y) => x + y) - after.reduce((x, y) => x + y)).toBe(6_000)
    const stats = await Promise.all(admins.map(commandStats))
    for (const s of stats) {
      expect(s.scan).toBeGreaterThan(0)
      expect(s.keys).toBeUndefined()
    }
    expect(await satchel.cache.mget(matching.slice(0, 100))).toEqual(Array(100).fill(undefined))
    expect((await satchel.cache.mget(others)).every((v) => v === 1)).toBe(true)
  })

  it('escaped user input cannot widen a pattern', async () => {
    const ns = satchel.cache.namespace('search')
    await ns.mset(['q:*', 'q:a', 'q:[ab]', 'q:b'].map((key) => ({ key, value: key })))
    expect(await ns.delPattern(`q:${escapeGlob('*')}`)).toBe(1)
    expect(await ns.delPattern(`q:${escapeGlob('[ab]')}`)).toBe(1)
    expect(await ns.mget(['q:*', 'q:a', 'q:[ab]', 'q:b'])).toEqual([
      undefined,
      'q:a',
      undefined,
      'q:b',
    ])
  })
})
