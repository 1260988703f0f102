import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CACHE_SCRIPTS,
  COMPARE_AND_SET,
  LOCK_EXTEND,
  LOCK_RELEASE,
} from '../../src/cache/scripts.js'
import { evalScript } from '../../src/core/scripts.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('cache Lua scripts', () => {
  let server: RedisServer
  let client: Redis
  beforeAll(async () => {
    server = await startRedis()
    client = new Redis(server.url)
  })
  afterAll(async () => {
    client.disconnect()
    await server.stop()
  })

  it.each(CACHE_SCRIPTS.map((s) => [s.name, s] as const))(
    '%s: the precomputed SHA is the one SCRIPT LOAD reports',
    async (_, script) => {
      expect(await client.script('LOAD', script.lua)).toBe(script.sha)
    },
  )

  it('the lock is extended and released only with its token', async () => {
    await client.set('lock', 'mine', 'PX', 1000)
    expect(await evalScript(client, LOCK_EXTEND, ['lock'], ['other', 60_000])).toBe(0)
    expect(await client.pttl('lock')).toBeLessThanOrEqual(1000)
    expect(await evalScript(client, LOCK_EXTEND, ['lock'], ['mine', 60_000])).toBe(1)
    expect(await client.pttl('lock')).toBeGreaterThan(59_000)
    expect(await evalScript(client, LOCK_RELEASE, ['lock'], ['other'])).toBe(0)
    expect(await client.exists('lock')).toBe(1)
    expect(await evalScript(client, LOCK_RELEASE, ['lock'], ['mine'])).toBe(1)
    expect(await client.exists('lock')).toBe(0)
  })

  it('compare-and-set replaces only the bytes it read', async () => {
    await client.set('v', 'old')
    expect(await evalScript(client, COMPARE_AND_SET, ['v'], ['stale', 'new', 1000])).toBe(0)
    expect(await client.get('v')).toBe('old')
    expect(await evalScript(client, COMPARE_AND_SET, ['v'], ['old', 'new', 1000])).toBe(1)
    expect(await client.get('v')).toBe('new')
    expect(await client.pttl('v')).toBeGreaterThan(900)
  })
})
