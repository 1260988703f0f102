import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type SessionIndex, tokenHash } from '../../src/session/index.js'
import { type RedisCluster, startRedisCluster } from '../../src/testing/index.js'
import { openTestDatabase, type TestDatabase } from '../db.js'
import { FUNCTIONAL_COMMAND_MS } from '../helpers.js'
import { type Session, SessionTable } from './fixtures.js'

describe('session index on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster
  let db: TestDatabase
  let table: SessionTable
  let satchel: Satchel
  let sessions: SessionIndex<Session>

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 0 })
    db = await openTestDatabase()
    table = new SessionTable(db)
    await table.create()
    satchel = createSatchel({
      redis: { cluster: { nodes: cluster.startupNodes } },
      prefix: 'campus',
      timeouts: { commandMs: FUNCTIONAL_COMMAND_MS, connectMs: 2000 },
    })
    await satchel.connect()
    sessions = satchel.sessionIndex(table.options())
  })
  afterAll(async () => {
    await satchel?.close()
    await table?.drop()
    await db?.close()
    await cluster?.stop()
  })

  const slotOf = (key: string) => satchel.redis.exec('keyslot', (r) => r.cluster('KEYSLOT', key))
  const exists = (key: string) => satchel.redis.exec('exists', (r) => r.exists(key))

  it('caches and revokes a user whose copies and index live in different slots (no CROSSSLOT)', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, () => table.login('u-cluster')))
    const read = await Promise.all(tokens.map((t) => sessions.get(t)))
    expect(read.every((s) => s?.userId === 'u-cluster')).toBe(true)
    expect(sessions.stats().writes).toBe(10)
    const copies = tokens.map((t) => `campus:sess:{${tokenHash(t)}}`)
    const slots = new Set(
      await Promise.all([...copies, 'campus:sess:user:{u-cluster}'].map(slotOf)),
    )
    expect(slots.size).toBeGreaterThan(2)
    for (const key of copies) expect(await exists(key)).toBe(1)

    await table.revokeUser('u-cluster')
    expect(await sessions.invalidateUser('u-cluster')).toEqual({ ok: true, deleted: 10 })
    for (const key of copies) expect(await exists(key)).toBe(0)
    expect(await exists('campus:sess:user:{u-cluster}')).toBe(0)
    expect(await Promise.all(tokens.map((t) => sessions.get(t)))).toEqual(Array(10).fill(null))
  })

  it('a logout racing a read-through does not resurrect the session on Cluster either', async () => {
    const token = await table.login('u-cluster-race')
    const gate = table.holdNextLoad()
    const reading = sessions.get(token)
    await gate.reached
    await table.revokeToken(token)
    expect((await sessions.invalidate(token)).ok).toBe(true)
    gate.open()
    await reading
    expect(await exists(`campus:sess:{${tokenHash(token)}}`)).toBe(0)
    expect(await sessions.get(token)).toBeNull()
  })
})
