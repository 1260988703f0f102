import { describe, expect, it } from 'vitest'
import { fullJitterBackoff } from '../../src/core/backoff.js'
import { ThrottledLog } from '../../src/core/throttled-log.js'
import { createSatchel, errors, parseDuration } from '../../src/index.js'
import { memoryLogger } from '../helpers.js'

describe('options are validated once, at creation', () => {
  it('names the invalid field', () => {
    const cases: [Parameters<typeof createSatchel>[0], string][] = [
      [{ timeouts: { commandMs: 'fast' } }, 'timeouts.commandMs'],
      [{ timeouts: { commandMs: 0 } }, 'timeouts.commandMs'],
      [{ timeouts: { connectMs: -1 } }, 'timeouts.connectMs'],
      [{ breaker: { failureThreshold: 0 } }, 'breaker.failureThreshold'],
      [{ reconnect: { baseMs: 500, capMs: 100 } }, 'reconnect.capMs'],
      [{ prefix: '' }, 'prefix'],
      [{ prefix: 'has:colon' }, 'prefix'],
      [{ redis: 'localhost:6379' }, 'redis'],
      [{ redis: { cluster: { nodes: [] } } }, 'redis.cluster.nodes'],
    ]
    for (const [options, field] of cases) {
      let caught: unknown
      try {
        createSatchel(options)
      } catch (error) {
        caught = error
      }
      expect(caught, field).toBeInstanceOf(errors.E_INVALID_OPTION)
      expect((caught as InstanceType<typeof errors.E_INVALID_OPTION>).field).toBe(field)
    }
  })

  it('accepts duration strings', () => {
    const satchel = createSatchel({ timeouts: { commandMs: '75ms', connectMs: '2s' } })
    expect(satchel.options.commandMs).toBe(75)
    expect(satchel.options.connectMs).toBe(2000)
    expect(parseDuration('10m', 'ttl')).toBe(600_000)
    expect(() => parseDuration('10 minutes', 'ttl')).toThrow(/ttl/)
  })

  it('rejects an unknown flag from SATCHEL_FLAGS at start, listing the valid ones', () => {
    const error = (() => {
      try {
        createSatchel({ env: { SATCHEL_FLAGS: 'cache,bogus' } })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(errors.E_UNKNOWN_FLAG)
    expect((error as Error).message).toMatch(/bogus/)
    expect((error as Error).message).toMatch(
      /cache, rate_limit, session_index, locking, idempotency, counters/,
    )
  })

  it('reads flags from the option first, then SATCHEL_FLAGS', () => {
    const fromEnv = createSatchel({ env: { SATCHEL_FLAGS: '-locking' } })
    expect(fromEnv.flags.enabled('locking')).toBe(false)
    expect(fromEnv.flags.enabled('cache')).toBe(true)
    const fromOption = createSatchel({ flags: 'cache', env: { SATCHEL_FLAGS: 'all' } })
    expect(fromOption.flags.list()).toEqual(['cache'])
  })
})

describe('reconnect backoff', () => {
  it('grows exponentially with full jitter and never exceeds the cap', () => {
    const ceiling = fullJitterBackoff({ baseMs: 50, capMs: 2000, random: () => 0.999999 })
    expect([1, 2, 3, 4, 5, 6, 50, 5000].map(ceiling)).toEqual([
      99, 199, 399, 799, 1599, 1999, 1999, 1999,
    ])
    const floor = fullJitterBackoff({ baseMs: 50, capMs: 2000, random: () => 0 })
    expect(floor(7)).toBe(0)
    // Real randomness spreads a fleet over the whole window.
    const delay = fullJitterBackoff({ baseMs: 50, capMs: 2000 })
    const samples = Array.from({ length: 2000 }, () => delay(10))
    expect(Math.max(...samples)).toBeLessThan(2000)
    expect(Math.min(...samples)).toBeLessThan(200)
    expect(new Set(samples).size).toBeGreaterThan(500)
  })
})

describe('throttled failure log', () => {
  it('logs once per interval per key and reports what it dropped', () => {
    const logger = memoryLogger()
    const log = new ThrottledLog(logger, 1000)
    expect(log.warn('get:timeout', { op: 'get' }, 'failed', 0)).toBe(true)
    for (let t = 1; t < 1000; t += 10) log.warn('get:timeout', { op: 'get' }, 'failed', t)
    expect(log.warn('set:timeout', { op: 'set' }, 'failed', 500)).toBe(true)
    expect(log.warn('get:timeout', { op: 'get' }, 'failed', 1000)).toBe(true)
    expect(logger.lines.map((l) => l.obj)).toEqual([
      { op: 'get' },
      { op: 'set' },
      { op: 'get', suppressed: 100 },
    ])
  })
})
