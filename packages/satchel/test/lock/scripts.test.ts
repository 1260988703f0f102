import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lockTarget } from '../../src/lock/keys.js'
import { LOCK_SCRIPTS } from '../../src/lock/scripts.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('lock scripts and keys', () => {
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

  it.each(LOCK_SCRIPTS.map((s) => [s.name, s] as const))(
    '%s: the precomputed SHA is what SCRIPT LOAD reports',
    async (_name, script) => {
      expect(await client.script('LOAD', script.lua)).toBe(script.sha)
    },
  )

  it('puts the lock and fence keys under one hash tag holding the escaped resource', () => {
    const t = lockTarget('campus', 'login-link:{42} *')
    expect(t.key).toBe('campus:lock:{login-link%3A%7B42%7D%20%2A}')
    expect(t.fenceKey).toBe(`${t.key}:fence`)
    // Different resources never share keys, even when one is the escaped form of the other.
    expect(lockTarget('campus', 'a%3Ab').key).not.toBe(lockTarget('campus', 'a:b').key)
  })

  it('hashes a very long resource into a short tag, distinct per resource', () => {
    const a = lockTarget('p', 'x'.repeat(5000))
    const b = lockTarget('p', `${'x'.repeat(4999)}y`)
    expect(a.key.length).toBeLessThan(40)
    expect(a.key).not.toBe(b.key)
    expect(() => lockTarget('p', '')).toThrow(expect.objectContaining({ code: 'E_INVALID_KEY' }))
  })
})
