/**
 * What the scripts leave in Redis: SHAs, NOSCRIPT recovery, read-only rejections, TTLs on every
 * key, exact-key resets, key format.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import {
  ALGORITHMS,
  RATE_LIMIT_SCRIPTS,
  type RateLimitAlgorithm,
  type RateLimiter,
} from '../../src/ratelimit/index.js'
import { useRedis } from '../helpers.js'

const server = useRedis()
let satchel: Satchel
let admin: Redis
let seq = 0

beforeAll(async () => {
  satchel = createSatchel({ redis: server.url, prefix: 'rls', timeouts: { commandMs: 1000 } })
  admin = new Redis(server.url)
  await satchel.connect()
})
afterAll(async () => {
  admin.disconnect()
  await satchel.close()
})

function limiter(
  algorithm: RateLimitAlgorithm,
  limit = 3,
  window: number | string = '1h',
): RateLimiter {
  return satchel.rateLimiter({
    name: `state-${++seq}`,
    algorithm,
    limit,
    window,
    ...(algorithm === 'token-bucket' ? { refillRate: limit / 1000 } : {}),
    blockCache: false,
    failurePolicy: 'closed',
  })
}

async function snapshot(key: string): Promise<{ dump: Buffer | null; expireAt: number }> {
  const [dump, expireAt] = await Promise.all([
    admin.dumpBuffer(key),
    admin.call('PEXPIRETIME', key) as Promise<number>,
  ])
  return { dump, expireAt }
}

async function allLimiterKeys(): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', 'rls:rl:*', 'COUNT', 1000)
    keys.push(...batch)
    cursor = next
  } while (cursor !== '0')
  return keys
}

describe('rate-limit scripts on a real server', () => {
  it.each(ALGORITHMS)('%s: the precomputed SHA equals SCRIPT LOAD', async (algorithm) => {
    const script = RATE_LIMIT_SCRIPTS[algorithm]
    expect(await admin.script('LOAD', script.lua)).toBe(script.sha)
  })

  it.each(ALGORITHMS)(
    '%s: decides after SCRIPT FLUSH (EVALSHA, then EVAL on NOSCRIPT)',
    async (algorithm) => {
      const l = limiter(algorithm)
      await l.limit('warm')
      await admin.script('FLUSH')
      expect(await admin.script('EXISTS', RATE_LIMIT_SCRIPTS[algorithm].sha)).toEqual([0])
      const r = await l.limit('warm')
      expect(r.reason).toBeUndefined()
      expect(r.remaining).toBe(1)
      expect(await admin.script('EXISTS', RATE_LIMIT_SCRIPTS[algorithm].sha)).toEqual([1])
    },
  )

  it.each(ALGORITHMS)('%s: a rejected call changes no value and no TTL', async (algorithm) => {
    const l = limiter(algorithm, 3)
    for (let i = 0; i < 3; i++) expect((await l.limit('full')).success).toBe(true)
    const key = l.key('full')
    const before = await snapshot(key)
    expect(before.dump).not.toBeNull()
    expect(before.expireAt).toBeGreaterThan(0)
    for (const cost of [1, 2, 4]) {
      expect((await l.limit('full', { cost })).success).toBe(false)
      expect(await snapshot(key)).toEqual(before)
    }
    // Cost > limit on a fresh identifier creates nothing.
    expect((await l.limit('fresh', { cost: 4 })).success).toBe(false)
    expect(await admin.exists(l.key('fresh'))).toBe(0)
    // And on a partly used one leaves it as it was.
    const partial = limiter(algorithm, 3)
    await partial.limit('p')
    const was = await snapshot(partial.key('p'))
    expect((await partial.limit('p', { cost: 3 })).success).toBe(false)
    expect(await snapshot(partial.key('p'))).toEqual(was)
  })

  it('leaves no limiter key without a TTL, whatever the sequence of calls', async () => {
    for (const algorithm of ALGORITHMS) {
      const l = limiter(algorithm, 4, 2000)
      for (let i = 0; i < 6; i++) await l.limit(`id-${i % 3}`, { cost: (i % 3) + 1 })
      await l.limit('big', { cost: 5 })
      await l.limit('id-0', { cost: 9 })
      await l.reset('id-1')
      await l.limit('id-1')
      await Promise.all(Array.from({ length: 20 }, (_, i) => l.limit(`burst-${i % 4}`)))
    }
    const keys = await allLimiterKeys()
    expect(keys.length).toBeGreaterThan(20)
    const ttls = await Promise.all(keys.map((k) => admin.pttl(k)))
    for (const [i, ttl] of ttls.entries()) {
      expect({ key: keys[i], ttl: ttl > 0 }).toEqual({ key: keys[i], ttl: true })
    }
  })

  it("reset('*') and reset('a') delete exactly that identifier, never 'a:b'", async () => {
    for (const algorithm of ALGORITHMS) {
      const l = limiter(algorithm, 5)
      for (const id of ['a', 'a:b', '*', 'a*']) await l.limit(id)
      await l.reset('*')
      expect(await admin.exists(l.key('*'))).toBe(0)
      expect(await admin.exists(l.key('a'), l.key('a:b'), l.key('a*'))).toBe(3)
      await l.reset('a')
      expect(await admin.exists(l.key('a'))).toBe(0)
      expect(await admin.exists(l.key('a:b'), l.key('a*'))).toBe(2)
      // State really survived: a:b has used one call of five.
      expect((await l.limit('a:b')).remaining).toBe(3)
      // And the reset identifier starts afresh.
      expect((await l.limit('a')).remaining).toBe(4)
    }
  })

  it('builds escaped keys in the rl family with the identifier as hash tag', () => {
    const l = satchel.rateLimiter({
      name: 'auth-login',
      algorithm: 'fixed-window',
      limit: 1,
      window: 1000,
    })
    expect(l.key('a:b')).toBe('rls:rl:auth-login:fw:{a%3Ab}')
    expect(l.key('{x}*')).toBe('rls:rl:auth-login:fw:{%7Bx%7D%2A}')
    const long = l.key('x'.repeat(500))
    expect(long).toMatch(/^rls:rl:auth-login:fw:\{#[A-Za-z0-9_-]{22}\}$/)
    expect(() => l.key('')).toThrow(expect.objectContaining({ code: 'E_INVALID_KEY' }))
  })
})
