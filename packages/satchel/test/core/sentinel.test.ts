import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisSentinel, startRedisSentinel } from '../../src/testing/index.js'
import { timed, waitFor } from '../helpers.js'

describe('satchel through Redis Sentinel', () => {
  let sentinel: RedisSentinel
  let satchel: Satchel

  beforeAll(async () => {
    sentinel = await startRedisSentinel()
    satchel = createSatchel({
      redis: { sentinels: sentinel.sentinelAddresses, name: sentinel.name },
      prefix: 'campus',
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await sentinel?.stop()
  })

  it('finds the master through the sentinel and round-trips a key', async () => {
    expect(satchel.redis.connection?.kind).toBe('sentinel')
    const key = satchel.keys.org('org-1').key('greeting')
    await satchel.redis.exec('set', (r) => r.set(key, 'hello'))
    expect(await satchel.redis.exec('get', (r) => r.get(key))).toBe('hello')
    // Written to the master the sentinel reports, not to some other server.
    const master = new Redis(sentinel.master.url)
    try {
      expect(await master.get(key)).toBe('hello')
    } finally {
      master.disconnect()
    }
  })

  it('reports healthy', async () => {
    const health = await satchel.health()
    expect(health.status).toBe('healthy')
    expect(health.redis.status).toBe('up')
  })

  it('closes cleanly', async () => {
    await satchel.close()
    expect((await satchel.health()).status).toBe('down')
  })
})

describe('satchel through Redis Sentinel, when the master fails over', () => {
  const connectMs = 300
  let sentinel: RedisSentinel
  let satchel: Satchel

  beforeAll(async () => {
    sentinel = await startRedisSentinel({ replicas: 1 })
    satchel = createSatchel({
      redis: { sentinels: sentinel.sentinelAddresses, name: sentinel.name },
      prefix: 'campus',
      timeouts: { commandMs: 500, connectMs },
      reconnect: { baseMs: 50, capMs: 500 },
      breaker: { probeIntervalMs: 200 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close()
    await sentinel?.stop()
  })

  it('falls back during the outage and works again once a replica is promoted', async () => {
    const replica = sentinel.replicas[0]
    if (!replica) throw new Error('no replica')
    const key = satchel.keys.org('org-1').key('survivor')
    await satchel.redis.exec('set', (r) => r.set(key, 'before'))
    // Replication is asynchronous: make sure the replica has the key before the master dies.
    const direct = new Redis(replica.url)
    try {
      await waitFor(async () => (await direct.get(key)) === 'before', 5_000, 10)
    } finally {
      direct.disconnect()
    }

    await sentinel.master.kill()
    const killedAt = performance.now()

    // Every call during the outage answers with its fallback, bounded by the connect timeout.
    while (performance.now() - killedAt < 500) {
      const outage = await timed(
        satchel.redis.failOpen(
          'get',
          (r) => r.get(key),
          () => 'fallback',
        ),
      )
      expect(outage.value).toBe('fallback')
      expect(outage.ms).toBeLessThan(connectMs + 200)
    }
    expect((await satchel.health()).status).toBe('degraded')

    const recoveredIn = await waitFor(
      () =>
        satchel.redis
          .exec('get', (r) => r.get(key))
          .then(
            (value) => value === 'before',
            () => false,
          ),
      15_000,
      50,
    )
    expect(recoveredIn).toBeLessThan(15_000)
    expect(await sentinel.masterAddress()).toEqual({ host: '127.0.0.1', port: replica.port })
    await satchel.redis.exec('set', (r) => r.set(key, 'after'))
    expect(await satchel.redis.exec('get', (r) => r.get(key))).toBe('after')
    expect((await satchel.health()).status).toBe('healthy')
  })
})
