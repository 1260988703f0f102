import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

/** Blocks the event loop, as rendering or a large JSON.stringify does. */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

describe('command deadlines: never earlier than commandMs after the send', () => {
  let server: RedisServer
  let satchel: Satchel
  beforeAll(async () => {
    server = await startRedis()
  })
  afterEach(async () => {
    await satchel?.close()
    await server.resume()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('gives a command sent after a synchronous stretch its full commandMs', async () => {
    satchel = createSatchel({ redis: server.url, timeouts: { commandMs: 50 } })
    await satchel.connect()
    // A seed or render step: read, 100 ms of synchronous work, write, eight times over. Before
    // the fix each write was stamped from the clock of the sweep before the stretch and failed
    // at once, opening the breaker although Redis answered every command.
    for (let i = 0; i < 8; i++) {
      await satchel.redis.exec('get', (r) => r.get(`d:${i}`))
      blockFor(100)
      await expect(satchel.redis.exec('set', (r) => r.set(`d:${i}`, 'v'))).resolves.toBe('OK')
    }
    expect(satchel.stats().redis).toMatchObject({ failures: 0, timeouts: 0 })
    expect(satchel.redis.breaker?.state).toBe('closed')
  })

  it('reads an answer that arrived during a stall before declaring its command timed out', async () => {
    satchel = createSatchel({ redis: server.url, timeouts: { commandMs: 50 } })
    await satchel.connect()
    await server.pause()
    const ping = satchel.redis.exec('ping', (r) => r.ping())
    // Sweeps have stamped the deadline by now; the server wakes up and answers at once, but the
    // process is busy past the deadline, so the answer waits in the socket.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        process.kill(server.pid, 'SIGCONT')
        blockFor(150)
        resolve()
      }, 15),
    )
    await expect(ping).resolves.toBe('PONG')
    expect(satchel.stats().redis.timeouts).toBe(0)
  })

  it('still fails a command the server never answers', async () => {
    satchel = createSatchel({ redis: server.url, timeouts: { commandMs: 50 } })
    await satchel.connect()
    await server.pause()
    const error = await satchel.redis.exec('ping', (r) => r.ping()).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_REDIS_UNAVAILABLE', reason: 'timeout' })
    expect(satchel.stats().redis.timeouts).toBe(1)
  })
})
