import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { memoryLogger, timed, waitFor } from '../helpers.js'

const COMMAND_MS = 50
// The contract: a call against a hung server settles within commandMs + 20 ms.
const BOUND_MS = COMMAND_MS + 20

describe('bounded commands and the circuit breaker against a faulty server', () => {
  let server: RedisServer
  let satchel: Satchel

  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })
  afterEach(async () => {
    await satchel?.close({ deadlineMs: 100 })
    await server.resume()
    if (server.state === 'exited') await server.restart()
  })

  async function connected(overrides: Parameters<typeof createSatchel>[0] = {}): Promise<Satchel> {
    satchel = createSatchel({
      redis: server.url,
      timeouts: { commandMs: COMMAND_MS, connectMs: 500 },
      breaker: { failureThreshold: 3, probeIntervalMs: 200 },
      reconnect: { baseMs: 20, capMs: 100 },
      ...overrides,
    })
    await satchel.connect()
    await satchel.redis.exec('set', (r) => r.set('k', 'v'))
    return satchel
  }

  it('settles a command against a paused (SIGSTOP) server within commandMs + 20 ms', async () => {
    await connected({ breaker: { failureThreshold: 1000 } })
    await server.pause()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => timed(satchel.redis.exec('get', (r) => r.get('k')))),
    )
    for (const r of results) {
      expect(r.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
      expect((r.error as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('timeout')
      expect(r.ms).toBeLessThan(BOUND_MS)
      expect(r.ms).toBeGreaterThanOrEqual(COMMAND_MS - 1)
    }
    expect(satchel.stats().redis.timeouts).toBe(20)
  })

  it('returns the fallback of failOpen within the bound while the server is paused', async () => {
    await connected({ breaker: { failureThreshold: 1000 } })
    await server.pause()
    const r = await timed(
      satchel.redis.failOpen(
        'get',
        (c) => c.get('k'),
        () => 'fallback',
      ),
    )
    expect(r.value).toBe('fallback')
    expect(r.ms).toBeLessThan(BOUND_MS)
    expect(satchel.stats().redis.fallbacks).toBe(1)
  })

  it('opens the breaker after N consecutive failures on a killed server; calls while open take < 1 ms', async () => {
    await connected()
    const changes: string[] = []
    satchel.events.on('breaker:change', ({ to }) => changes.push(to))
    await server.kill()
    for (let i = 0; i < 3; i++) {
      await expect(satchel.redis.exec('get', (r) => r.get('k'))).rejects.toBeInstanceOf(
        errors.E_REDIS_UNAVAILABLE,
      )
    }
    expect(satchel.redis.breaker?.state).toBe('open')
    expect(changes).toEqual(['open'])

    // While open, a call must not wait on anything: it is already rejected before the event loop
    // gets to its next phase (setImmediate), which no I/O or timer could beat.
    const durations: number[] = []
    for (let i = 0; i < 1000; i++) {
      const start = performance.now()
      const call = satchel.redis.exec('get', (c) => c.get('k')).catch((e: unknown) => e)
      const first = await Promise.race([
        call,
        new Promise((resolve) => setImmediate(() => resolve('event loop turned'))),
      ])
      durations.push(performance.now() - start)
      expect((first as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('circuit-open')
    }
    // Wall-clock too; p99 rather than max, because a GC pause or the OS can preempt any single
    // call on a shared 2-core machine, and that is not time spent waiting on Redis.
    durations.sort((a, b) => a - b)
    expect(durations[Math.floor(durations.length * 0.99)]).toBeLessThan(1)
    expect(satchel.stats().redis.shortCircuited).toBe(1000)
    const health = await satchel.health()
    expect(health.status).toBe('degraded')
    expect(health.redis.status).toBe('down')
    expect(health.breaker?.state).toBe('open')
  })

  it('closes the breaker within one probe interval after a restart and commands succeed again', async () => {
    await connected()
    await server.kill()
    for (let i = 0; i < 3; i++) {
      await satchel.redis.failOpen(
        'get',
        (r) => r.get('k'),
        () => null,
      )
    }
    expect(satchel.redis.breaker?.state).toBe('open')
    // Stay down across several probes: each failed probe must re-open, not close.
    await new Promise((r) => setTimeout(r, 500))
    expect(satchel.redis.breaker?.state).toBe('open')

    await server.restart()
    // One probe interval (200 ms) plus the reconnect backoff cap (100 ms).
    const waited = await waitFor(() => satchel.redis.breaker?.state === 'closed', 300 + 50)
    expect(waited).toBeLessThan(350)
    await expect(satchel.redis.exec('set', (r) => r.set('k', 'again'))).resolves.toBe('OK')
    await expect(satchel.redis.exec('get', (r) => r.get('k'))).resolves.toBe('again')
    expect((await satchel.health()).status).toBe('healthy')
  })

  it('logs a recurring failure once per interval, not once per call', async () => {
    const logger = memoryLogger()
    await connected({ logger, logIntervalMs: 60_000, breaker: { failureThreshold: 1000 } })
    await server.kill()
    for (let i = 0; i < 100; i++) {
      expect(
        await satchel.redis.failOpen(
          'cache.get',
          (r) => r.get('k'),
          () => 'db',
        ),
      ).toBe('db')
    }
    const warnings = logger.lines.filter((l) => l.level === 'warn')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.obj).toMatchObject({ operation: 'cache.get', reason: 'disconnected' })
    expect(satchel.stats().redis.fallbacks).toBe(100)
  })

  it('does not count an error reply against the breaker', async () => {
    await connected()
    await satchel.redis.exec('lpush', (r) => r.lpush('list', 'x'))
    for (let i = 0; i < 10; i++) {
      await expect(satchel.redis.exec('get', (r) => r.get('list'))).rejects.toBeInstanceOf(
        errors.E_REDIS_COMMAND,
      )
    }
    expect(satchel.redis.breaker?.state).toBe('closed')
    expect(satchel.stats().redis.replyErrors).toBe(10)
  })
})
