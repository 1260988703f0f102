import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CACHE_SCRIPTS,
  COMPARE_AND_SET,
  INVALIDATE_TAGS,
  READ_OR_LOCK,
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

  it('read-or-lock answers what a key holds, and takes the lock only where it is absent', async () => {
    await client.set('present', 'value', 'PX', 60_000)
    await client.hset('hash', 'f', 'v')
    const before = Date.now()
    const reply = (await evalScript(
      client,
      READ_OR_LOCK,
      ['present', 'absent', 'hash'],
      [1000, 'm1', 'm2', 'm3'],
    )) as unknown[][]
    expect(reply[0]?.[0]).toBe(1)
    expect(reply[0]?.[1]).toBe('value')
    expect(Number(reply[0]?.[2])).toBeGreaterThan(59_000)
    expect(reply[1]?.[0]).toBe(0)
    // Dated by the server clock (this machine's, in tests).
    expect(Math.abs(Number(reply[1]?.[1]) - before)).toBeLessThan(5_000)
    expect(await client.get('absent')).toBe('m2')
    expect(await client.pttl('absent')).toBeLessThanOrEqual(1000)
    expect(reply[2]).toEqual([2])
    expect(await client.get('present')).toBe('value')
  })

  it('tag stamps only move forward: max(previous + 1, server time)', async () => {
    const future = Date.now() + 3_600_000
    await client.hset('tags', 'ahead', String(future))
    const [ahead, fresh] = (await evalScript(
      client,
      INVALIDATE_TAGS,
      ['tags'],
      ['ahead', 'new'],
    )) as number[]
    expect(ahead).toBe(future + 1)
    expect(Math.abs(Number(fresh) - Date.now())).toBeLessThan(5_000)
    const [again] = (await evalScript(client, INVALIDATE_TAGS, ['tags'], ['new'])) as number[]
    expect(again).toBeGreaterThan(Number(fresh))
    expect(await client.hget('tags', 'ahead')).toBe(String(future + 1))
  })

  it('compare-and-set replaces only the bytes it read', async () => {
    await client.set('v', 'old')
    expect(await evalScript(client, COMPARE_AND_SET, ['v'], ['stale', 'new', 1000])).toEqual([0])
    expect(await client.get('v')).toBe('old')
    expect(await evalScript(client, COMPARE_AND_SET, ['v'], ['old', 'new', 1000])).toEqual([1])
    expect(await client.get('v')).toBe('new')
    expect(await client.pttl('v')).toBeGreaterThan(900)
    // Several keys in one call, each on its own bytes; another type is a no, not an error.
    await client.set('w', 'w0')
    await client.hset('h', 'f', 'v')
    expect(
      await evalScript(
        client,
        COMPARE_AND_SET,
        ['v', 'w', 'h'],
        ['x', 'v2', 1000, 'w0', 'w1', 1000, 'h', 'h1', 1000],
      ),
    ).toEqual([0, 1, 0])
    expect(await client.get('w')).toBe('w1')
  })
})
