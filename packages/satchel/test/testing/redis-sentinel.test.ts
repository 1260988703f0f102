import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../src/core/errors.js'
import { type RedisSentinel, startRedisSentinel } from '../../src/testing/index.js'
import { waitFor } from '../helpers.js'
import { isGone } from './process-helpers.js'

function sentinelClient(sentinel: RedisSentinel, options: RedisOptions = {}): Redis {
  const redis = new Redis({
    sentinels: sentinel.sentinelAddresses,
    name: sentinel.name,
    ...sentinel.clientOptions,
    ...options,
  })
  redis.on('error', () => {})
  return redis
}

describe('startRedisSentinel', () => {
  let sentinel: RedisSentinel

  beforeAll(async () => {
    sentinel = await startRedisSentinel()
  })

  afterAll(async () => {
    await sentinel?.stop()
  })

  it('starts a master and one sentinel that reports it', async () => {
    expect(sentinel.name).toBe('mymaster')
    expect(sentinel.replicas).toHaveLength(0)
    expect(sentinel.sentinels).toHaveLength(1)
    const [only] = sentinel.sentinels
    expect(sentinel.sentinelAddresses).toEqual([{ host: '127.0.0.1', port: only?.port }])
    expect(only?.state).toBe('running')
    const direct = new Redis(only?.url ?? '')
    try {
      expect(await direct.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')).toEqual([
        '127.0.0.1',
        String(sentinel.master.port),
      ])
      expect(await direct.info('server')).toMatch(/^redis_mode:sentinel\r?$/m)
    } finally {
      direct.disconnect()
    }
    expect(await sentinel.masterAddress()).toEqual({
      host: '127.0.0.1',
      port: sentinel.master.port,
    })
  })

  it('keeps the sentinel config, which Sentinel rewrites, in its own temp directory', () => {
    const sentinelDir = sentinel.sentinels[0]?.dir ?? ''
    expect(sentinelDir.startsWith(sentinel.dir)).toBe(true)
    const config = readFileSync(join(sentinelDir, 'redis.conf'), 'utf8')
    expect(config).toContain(`sentinel monitor mymaster 127.0.0.1 ${sentinel.master.port} 1`)
    expect(config).toContain('sentinel myid ')
  })

  it('lets an ioredis Sentinel client SET and GET on the master', async () => {
    const redis = sentinelClient(sentinel)
    try {
      await redis.set('through-sentinel', 'yes')
      expect(await redis.get('through-sentinel')).toBe('yes')
    } finally {
      redis.disconnect()
    }
    const master = new Redis(sentinel.master.url)
    try {
      expect(await master.get('through-sentinel')).toBe('yes')
    } finally {
      master.disconnect()
    }
  })

  it('stop() ends every process and removes the directory', async () => {
    const pids = [sentinel.master, ...sentinel.sentinels].map((server) => server.pid)
    await sentinel.stop()
    for (const pid of pids) expect(isGone(pid)).toBe(true)
    expect(existsSync(sentinel.dir)).toBe(false)
    await sentinel.stop()
  })
})

describe('startRedisSentinel({ replicas: 1, sentinels: 2, password })', () => {
  let sentinel: RedisSentinel

  beforeAll(async () => {
    sentinel = await startRedisSentinel({
      name: 'campus-primary',
      replicas: 1,
      sentinels: 2,
      password: 's3cret',
    })
  })

  afterAll(async () => {
    await sentinel?.stop()
  })

  it('starts with the replica in sync and the sentinels aware of it and of each other', async () => {
    const replica = sentinel.replicas[0]
    const direct = new Redis(sentinel.sentinels[0]?.url ?? '')
    try {
      const replicas = (await direct.call('SENTINEL', 'REPLICAS', 'campus-primary')) as string[][]
      expect(replicas).toHaveLength(1)
      expect(replicas[0]).toContain(String(replica?.port))
      const peers = (await direct.call('SENTINEL', 'SENTINELS', 'campus-primary')) as string[][]
      expect(peers).toHaveLength(1)
      expect(peers[0]).toContain(String(sentinel.sentinels[1]?.port))
    } finally {
      direct.disconnect()
    }
    expect(sentinel.clientOptions).toEqual({ password: 's3cret' })
  })

  it('fails over to the replica when the master dies, and a sentinel restart remembers', async () => {
    const replica = sentinel.replicas[0]
    if (!replica) throw new Error('no replica')
    const redis = sentinelClient(sentinel, { maxRetriesPerRequest: 1 })
    try {
      await redis.set('survives', 'failover')
      // Replication is asynchronous: make sure the replica has the key before the master dies.
      const direct = new Redis(replica.url)
      try {
        await waitFor(async () => (await direct.get('survives')) === 'failover', 5_000, 10)
      } finally {
        direct.disconnect()
      }

      await sentinel.master.kill()
      const started = performance.now()
      await sentinel.waitForMaster(replica, { timeoutMs: 15_000 })
      expect(performance.now() - started).toBeLessThan(10_000)
      expect(await sentinel.masterAddress()).toEqual({ host: '127.0.0.1', port: replica.port })

      // The same client finds the new master through the sentinels.
      await waitFor(
        async () => (await redis.get('survives').catch(() => null)) === 'failover',
        10_000,
        50,
      )
      await redis.set('after', 'failover')

      const [first] = sentinel.sentinels
      await first?.restart()
      expect(await sentinel.masterAddress()).toEqual({ host: '127.0.0.1', port: replica.port })
    } finally {
      redis.disconnect()
    }
  })
})

describe('startRedisSentinel options', () => {
  it('rejects invalid options before starting anything', async () => {
    await expect(startRedisSentinel({ sentinels: 0 })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(startRedisSentinel({ replicas: -1 })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(startRedisSentinel({ name: 'my master' })).rejects.toBeInstanceOf(
      InvalidOptionError,
    )
    await expect(
      startRedisSentinel({ tls: true } as Parameters<typeof startRedisSentinel>[0]),
    ).rejects.toBeInstanceOf(InvalidOptionError)
  })
})
