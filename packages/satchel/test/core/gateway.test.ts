import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('gateway: what counts against Redis', () => {
  let server: RedisServer
  let satchel: Satchel
  beforeAll(async () => {
    server = await startRedis()
    // These tests count what reaches Redis, not how fast: a 2 s commandMs keeps a machine so
    // loaded that redis-server itself is not scheduled for 50 ms from turning an answered
    // command into a timeout. Deadlines have their own tests (deadlines.test.ts).
    satchel = createSatchel({
      redis: server.url,
      breaker: { failureThreshold: 2 },
      timeouts: { commandMs: 2000 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel.close()
    await server.stop()
  })

  it('passes a bug in the callback through untouched, without blaming Redis', async () => {
    await satchel.redis.exec('set', (r) => r.set('g:json', '{not json'))
    const parse = async (): Promise<unknown> =>
      satchel.redis.exec('get', async (r) => JSON.parse((await r.get('g:json')) ?? ''))
    for (let i = 0; i < 5; i++) await expect(parse()).rejects.toBeInstanceOf(SyntaxError)
    const sync = satchel.redis.exec('get', () => {
      throw new TypeError('caller bug')
    })
    await expect(sync).rejects.toThrow(TypeError)
    // failOpen keeps the bug loud too instead of hiding it behind the fallback.
    await expect(
      satchel.redis.failOpen(
        'get',
        async () => JSON.parse('{'),
        () => 'fallback',
      ),
    ).rejects.toBeInstanceOf(SyntaxError)
    expect(satchel.redis.breaker?.state).toBe('closed')
    expect(satchel.stats().redis).toMatchObject({ failures: 0, fallbacks: 0, inFlight: 0 })
  })

  it('counts answered commands and samples their latency', async () => {
    const before = satchel.stats().redis.commands
    for (let i = 0; i < 400; i++) await satchel.redis.exec('ping', (r) => r.ping())
    const after = satchel.stats().redis
    expect(after.commands - before).toBe(400)
    expect(after.latency.count).toBeGreaterThanOrEqual(100)
    expect(after.latency.p50).toBeGreaterThan(0)
    expect(after.latency.p99).toBeGreaterThanOrEqual(after.latency.p50)
    expect(after.inFlight).toBe(0)
  })

  it('surfaces an error reply as E_REDIS_COMMAND with the reply as cause', async () => {
    const error = await satchel.redis
      .exec('bogus', (r) => r.call('NO_SUCH_COMMAND'))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.E_REDIS_COMMAND)
    expect((error as Error).message).toMatch(/unknown command/i)
    expect(satchel.redis.breaker?.state).toBe('closed')
  })
})
