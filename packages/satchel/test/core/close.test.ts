import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { timed } from '../helpers.js'

describe('close()', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('lets in-flight commands finish before disconnecting', async () => {
    const satchel = createSatchel({ redis: server.url, timeouts: { commandMs: 2000 } })
    await satchel.redis.exec('set', (r) => r.set('close:k', 'done'))
    await server.pause()
    const pending = satchel.redis.exec('get', (r) => r.get('close:k'))
    const closing = satchel.close({ deadlineMs: 3000 })
    // New work is refused at once while the old finishes.
    const refused = await satchel.redis
      .exec('get', (r) => r.get('close:k'))
      .catch((e: unknown) => e)
    expect((refused as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('closed')
    setTimeout(() => void server.resume(), 150)
    await expect(pending).resolves.toBe('done')
    await closing
    expect(satchel.redis.client?.status).toBe('end')
  })

  it('gives up on a hung server at the deadline', async () => {
    const satchel = createSatchel({ redis: server.url, timeouts: { commandMs: 5000 } })
    await satchel.connect()
    await server.pause()
    const pending = timed(satchel.redis.exec('get', (r) => r.get('close:k')))
    const closed = await timed(satchel.close({ deadlineMs: 100 }))
    expect(closed.ms).toBeLessThan(300)
    const result = await pending
    expect(result.error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect(result.ms).toBeLessThan(400)
    await server.resume()
  })
})
