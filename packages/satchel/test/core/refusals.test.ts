import { describe, expect, it } from 'vitest'
import { createSatchel, errors } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

// A refusal (closed, memory-only, breaker open) is handed to whoever handles the failure:
// loggers tag the errors they serialise and callers attach context. Each refusal must be an
// instance of its own that tolerates that, not one shared (and frozen) object.
describe('gateway refusals', () => {
  async function refusal(run: () => Promise<unknown>): Promise<Error & { reason?: string }> {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    return error as Error & { reason?: string }
  }

  it('memory-only and closed refusals are separate, writable instances', async () => {
    const memoryOnly = createSatchel({})
    const first = await refusal(() => memoryOnly.redis.exec('get', (r) => r.get('k')))
    const second = await refusal(() => memoryOnly.redis.exec('get', (r) => r.get('k')))
    expect(first.reason).toBe('memory-only')
    expect(first).not.toBe(second)
    // What pino's serializer and error-tracking SDKs do to an error they handle.
    const tag = Symbol('seen')
    expect(() => Object.assign(first, { [tag]: true, requestId: 'r-1' })).not.toThrow()
    expect((second as unknown as Record<symbol, unknown>)[tag]).toBeUndefined()
    await memoryOnly.close()

    let server: RedisServer | undefined
    try {
      server = await startRedis()
      const closed = createSatchel({ redis: server.url })
      await closed.connect()
      await closed.close()
      const error = await refusal(() => closed.redis.exec('get', (r) => r.get('k')))
      expect(error.reason).toBe('closed')
      expect(() => Object.assign(error, { requestId: 'r-2' })).not.toThrow()
    } finally {
      await server?.stop()
    }
  })
})
