import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineScript, evalScript } from '../../src/core/scripts.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('Lua scripts', () => {
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

  const ECHO = defineScript('echo', 'return {KEYS[1], ARGV[1]}')

  it('precomputes the SHA the server reports for SCRIPT LOAD', async () => {
    expect(await client.script('LOAD', ECHO.lua)).toBe(ECHO.sha)
  })

  it('falls back to EVAL on NOSCRIPT, which caches the script for the next EVALSHA', async () => {
    await client.script('FLUSH')
    expect(await client.script('EXISTS', ECHO.sha)).toEqual([0])
    expect(await evalScript(client, ECHO, ['k'], ['v'])).toEqual(['k', 'v'])
    expect(await client.script('EXISTS', ECHO.sha)).toEqual([1])
    expect(await evalScript(client, ECHO, ['k2'], [7])).toEqual(['k2', '7'])
  })

  it('passes script errors through as reply errors', async () => {
    const bad = defineScript('bad', "return redis.call('INCR', KEYS[1])")
    await client.set('text', 'x')
    await expect(evalScript(client, bad, ['text'], [])).rejects.toThrow(/not an integer/)
  })
})
