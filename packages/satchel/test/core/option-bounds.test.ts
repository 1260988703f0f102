import { describe, expect, it } from 'vitest'
import { type CreateSatchelOptions, createSatchel, errors } from '../../src/index.js'

/** The error `fn` throws (or undefined). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

function expectInvalid(fn: () => unknown, field: string): void {
  const error = thrown(fn)
  expect(error, field).toBeInstanceOf(errors.E_INVALID_OPTION)
  const e = error as InstanceType<typeof errors.E_INVALID_OPTION>
  expect(e.code).toBe('E_INVALID_OPTION')
  expect(e.field, e.message).toBe(field)
  expect(e.message).toContain(`"${field}"`)
}

describe('every option is checked at createSatchel, with bounds', () => {
  // Typed loosely on purpose: these are what a JavaScript caller or a bad config file passes.
  const cases: [string, Record<string, unknown>][] = [
    ['cache.ttl', { cache: { ttl: '5 minutes' } }],
    ['cache.ttl', { cache: { ttl: 1e15 } }],
    ['cache.grace', { cache: { grace: -1 } }],
    ['cache.timeout.hard', { cache: { timeout: { hard: 1e12 } } }],
    ['cache.jitter', { cache: { jitter: 2 } }],
    ['cache.debug', { cache: { debug: 'yes' } }],
    ['cache.bus', { cache: { bus: 'no' } }],
    ['cache.l1Limits.maxEntries', { cache: { l1Limits: { maxEntries: 1e12 } } }],
    ['cache.lockTtl', { cache: { lockTtl: 10 } }],
    ['cache.lockWait', { cache: { lockWait: 1e13 } }],
    ['locks.ttl', { locks: { ttl: {} } }],
    ['locks.ttl', { locks: { ttl: 1e20 } }],
    ['locks.fenceTtl', { locks: { fenceTtl: 1e15 } }],
    ['locks.retry', { locks: { retry: 'twice' } }],
    ['locks.retry.attempts', { locks: { retry: { attempts: 0 } } }],
    ['locks.retry.delay', { locks: { retry: { delay: 'soon' } } }],
    ['locks.retry.jitter', { locks: { retry: { jitter: 1e12 } } }],
    ['locks.whenDisabled', { locks: { whenDisabled: 'maybe' } }],
    ['timeouts.commandMs', { timeouts: { commandMs: 1e12 } }],
    ['timeouts.connectMs', { timeouts: { connectMs: 1e12 } }],
    ['timeouts', { timeouts: 50 }],
    ['breaker.failureThreshold', { breaker: { failureThreshold: 1e9 } }],
    ['breaker.probeIntervalMs', { breaker: { probeIntervalMs: 1e12 } }],
    ['reconnect.capMs', { reconnect: { capMs: 1e12 } }],
    ['logIntervalMs', { logIntervalMs: 'often' }],
    ['closeDeadlineMs', { closeDeadlineMs: -5 }],
    ['logger', { logger: 'console' }],
    ['logger', { logger: { info: () => {} } }],
    ['tls', { tls: 'yes' }],
    ['env', { env: 'production' }],
    ['redis', { redis: 6379 }],
    ['codec', { codec: 'msgpack' }],
    ['prefix', { prefix: 'x'.repeat(500) }],
  ]
  it.each(cases)('refuses a bad %s', (field, options) => {
    expectInvalid(() => createSatchel(options as CreateSatchelOptions), field)
  })

  it('lists every problem, each with its field path', () => {
    const error = thrown(() =>
      createSatchel({ timeouts: { commandMs: 1e12, connectMs: 'x' } } as CreateSatchelOptions),
    ) as Error
    expect(error.message).toMatch(/timeouts\.connectMs: cannot parse/)
    expect(error.message).toMatch(/timeouts\.commandMs: expected 1 to 60000 ms/)
  })

  it('takes an empty redis URL (an unset REDIS_URL) as memory-only', () => {
    expect(createSatchel({ redis: '' }).redis.enabled).toBe(false)
  })

  it('accepts the documented upper bounds themselves', () => {
    const satchel = createSatchel({
      timeouts: { commandMs: 60_000, connectMs: 600_000 },
      cache: { ttl: '365d', grace: '365d' },
      locks: { ttl: 2_147_483_647, fenceTtl: '365d', retry: { attempts: Infinity } },
    })
    expect(satchel.options.commandMs).toBe(60_000)
  })
})

describe('every capability checks its options when it is created', () => {
  const satchel = createSatchel({ timeouts: { commandMs: 50 } })
  const loose = satchel as unknown as {
    rateLimiter(o: unknown): unknown
    idempotency(o: unknown): unknown
    sessionIndex(o: unknown): unknown
    counter(o: unknown): unknown
  }
  const session = { load: () => null, expiresAt: () => 0, userId: () => 'u' }
  const cases: [string, () => unknown][] = [
    ['window', () => loose.rateLimiter({ name: 'a', limit: 1, window: null })],
    ['window', () => loose.rateLimiter({ name: 'a', limit: 1, window: 1e15 })],
    ['limit', () => loose.rateLimiter({ name: 'a', limit: 1e12, window: '1m' })],
    ['blockCache', () => loose.rateLimiter({ name: 'a', limit: 1, window: '1m', blockCache: 'x' })],
    [
      'insurance.maxEntries',
      () => loose.rateLimiter({ name: 'a', limit: 1, window: '1m', insurance: { maxEntries: 0 } }),
    ],
    ['rateLimiter', () => loose.rateLimiter(null)],
    ['idempotency.storeStatus', () => loose.idempotency({ storeStatus: 'all' })],
    ['idempotency.ttl', () => loose.idempotency({ ttl: 1e20 })],
    ['idempotency.lease', () => loose.idempotency({ lease: '1 minute' })],
    ['idempotency.maxBodyBytes', () => loose.idempotency({ maxBodyBytes: 1e12 })],
    ['idempotency.onStoreDown', () => loose.idempotency({ onStoreDown: 'panic' })],
    ['idempotency.replayHeaders', () => loose.idempotency({ replayHeaders: 'etag' })],
    ['sessionIndex.load', () => loose.sessionIndex({ ...session, load: 'db' })],
    ['sessionIndex.isRevoked', () => loose.sessionIndex({ ...session, isRevoked: true })],
    ['sessionIndex.capTtl', () => loose.sessionIndex({ ...session, capTtl: 1e20 })],
    ['sessionIndex.tombstoneTtl', () => loose.sessionIndex({ ...session, tombstoneTtl: 50 })],
    ['sessionIndex.schema', () => loose.sessionIndex({ ...session, schema: {} })],
    ['counter.count', () => loose.counter({ name: 'c', count: 3 })],
    ['counter.name', () => loose.counter({ name: 'a b', count: () => 0 })],
    ['counter.ttl', () => loose.counter({ name: 'c', count: () => 0, ttl: 1e20 })],
    ['counter.settle', () => loose.counter({ name: 'c', count: () => 0, settle: null })],
  ]
  it.each(cases)('refuses a bad %s', (field, create) => {
    expectInvalid(create, field)
  })

  it('checks per-call options the same way', async () => {
    await expect(satchel.locks.acquire('r', { ttl: 1e20 })).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
      field: 'ttl',
    })
    await expect(
      satchel.cache.getOrSet('k', () => 1, { shouldCache: 'yes' as never }),
    ).rejects.toMatchObject({ code: 'E_INVALID_OPTION', field: 'shouldCache' })
  })
})
