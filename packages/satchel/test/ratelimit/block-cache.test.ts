import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { ALGORITHMS } from '../../src/ratelimit/index.js'
import { sleep, useRedis } from '../helpers.js'

/** Calls of every command the server has executed (INFO commandstats), minus the INFO itself. */
async function serverCalls(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats')
  let calls = 0
  for (const match of info.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) {
    if (match[1] !== 'info') calls += Number(match[2])
  }
  return calls
}

describe('in-process block cache', () => {
  const server = useRedis()
  let satchel: Satchel
  let admin: Redis

  beforeAll(async () => {
    admin = new Redis(server.url)
    satchel = createSatchel({ redis: server.url, prefix: 'rlb', timeouts: { commandMs: 1000 } })
    await satchel.connect()
  })
  afterAll(async () => {
    admin.disconnect()
    await satchel.close()
  })

  it.each(ALGORITHMS)(
    '%s: after a rejection, calls until the reset make no Redis command and say blocked',
    async (algorithm) => {
      const limiter = satchel.rateLimiter({
        name: `block-${algorithm}`,
        algorithm,
        limit: 2,
        window: 400,
      })
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') {
        await sleep(400 - (Date.now() % 400) + 5)
      }
      await limiter.limit('ip:203.0.113.5')
      await limiter.limit('ip:203.0.113.5')
      const rejected = await limiter.limit('ip:203.0.113.5')
      expect(rejected.success).toBe(false)
      expect(rejected.reason).toBeUndefined()

      const gatewayBefore = satchel.stats().redis.commands
      const serverBefore = await serverCalls(admin)
      const blocked = await Promise.all(
        Array.from({ length: 50 }, () => limiter.limit('ip:203.0.113.5')),
      )
      for (const r of blocked) {
        expect(r).toMatchObject({ success: false, remaining: 0, reason: 'blocked' })
        expect(r.retryAfterMs).toBeGreaterThan(0)
        expect(r.retryAfterMs).toBeLessThanOrEqual(rejected.retryAfterMs)
      }
      expect(satchel.stats().redis.commands).toBe(gatewayBefore)
      expect(await serverCalls(admin)).toBe(serverBefore)
      expect(limiter.stats().blocked).toBe(50)
      // Another identifier is not blocked.
      expect((await limiter.limit('ip:203.0.113.6')).reason).toBeUndefined()

      // Once the block expires the limiter asks Redis again, and Redis admits.
      await sleep(rejected.retryAfterMs + 5)
      const again = await limiter.limit('ip:203.0.113.5')
      expect(again.reason).toBeUndefined()
      expect(again.success).toBe(true)
    },
  )

  it('reset() lifts the block in this process at once', async () => {
    const limiter = satchel.rateLimiter({ name: 'block-reset', limit: 1, window: '1h' })
    await limiter.limit('u')
    await limiter.limit('u')
    expect((await limiter.limit('u')).reason).toBe('blocked')
    await limiter.reset('u')
    expect(await limiter.limit('u')).toMatchObject({ success: true })
    expect(limiter.stats().blockedIdentifiers).toBe(0)
  })

  it('does not block an identifier rejected only for a large cost', async () => {
    const limiter = satchel.rateLimiter({ name: 'block-cost', limit: 5, window: '1h' })
    await limiter.limit('u', { cost: 3 })
    expect((await limiter.limit('u', { cost: 3 })).success).toBe(false)
    const r = await limiter.limit('u', { cost: 2 })
    expect(r).toMatchObject({ success: true, remaining: 0 })
    expect(r.reason).toBeUndefined()
  })

  it('can be disabled', async () => {
    const limiter = satchel.rateLimiter({
      name: 'no-block',
      limit: 1,
      window: '1h',
      blockCache: false,
    })
    await limiter.limit('u')
    await limiter.limit('u')
    const before = satchel.stats().redis.commands
    expect((await limiter.limit('u')).reason).toBeUndefined()
    expect(satchel.stats().redis.commands).toBe(before + 1)
  })
})
