import { describe, expect, it } from 'vitest'
import { createSatchel, errors } from '../../src/index.js'
import type { RateLimiterOptions } from '../../src/ratelimit/index.js'

describe('rate limiter options', () => {
  const satchel = createSatchel({ prefix: 'rlo', timeouts: { commandMs: 50 } })
  const base: RateLimiterOptions = { name: 'login', limit: 5, window: '1m' }

  it('resolves defaults and durations', () => {
    const l = satchel.rateLimiter(base)
    expect(l.options).toMatchObject({
      name: 'login',
      algorithm: 'sliding-window',
      limit: 5,
      windowMs: 60_000,
      refillRate: 5,
      failurePolicy: 'open',
      timeoutMs: 50,
      blockCacheEntries: 10_000,
      insuranceLimit: 5,
    })
    expect(
      satchel.rateLimiter({ ...base, algorithm: 'token-bucket', refillRate: 0.5 }).options
        .refillRate,
    ).toBe(0.5)
  })

  const invalid: [string, Partial<RateLimiterOptions> & Record<string, unknown>][] = [
    ['name', { name: '' }],
    ['name', { name: 'has space' }],
    ['name', { name: 'a:b' }],
    ['algorithm', { algorithm: 'leaky' as never }],
    ['limit', { limit: 0 }],
    ['limit', { limit: 1.5 }],
    ['window', { window: 0 }],
    ['window', { window: 'soon' }],
    ['window', { window: undefined as never }],
    ['refillRate', { refillRate: 2 }],
    ['refillRate', { algorithm: 'token-bucket', refillRate: 0 }],
    ['failurePolicy', { failurePolicy: 'maybe' as never }],
    ['timeoutMs', { timeoutMs: 51 }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['blockCache.maxEntries', { blockCache: { maxEntries: 0 } }],
    ['insurance.limit', { insurance: { limit: -1 } }],
  ]

  it.each(invalid)('rejects a bad %s with InvalidOptionError naming it', (field, patch) => {
    let caught: unknown
    try {
      satchel.rateLimiter({ ...base, ...patch } as RateLimiterOptions)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(errors.E_INVALID_OPTION)
    expect((caught as InstanceType<typeof errors.E_INVALID_OPTION>).field).toBe(field)
  })

  it('rejects a bad cost per call', async () => {
    const l = satchel.rateLimiter(base)
    for (const cost of [0, -1, 1.5, Number.NaN]) {
      await expect(l.limit('u', { cost })).rejects.toMatchObject({
        code: 'E_INVALID_OPTION',
        field: 'cost',
      })
    }
  })
})
