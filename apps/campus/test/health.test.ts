import { createSatchel } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'

describe('GET /health', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('is healthy with Redis up and reports its latency', async () => {
    const satchel = createSatchel({ redis: server.url, prefix: 'campus' })
    const res = await createApp({ satchel }).request('/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      status: string
      redis: { status: string; latencyMs: number }
    }
    expect(body.status).toBe('healthy')
    expect(body.redis.status).toBe('up')
    expect(body.redis.latencyMs).toBeGreaterThan(0)
    await satchel.close()
  })

  it('stays 200 but says degraded when Redis is hung, answering within the command bound', async () => {
    const satchel = createSatchel({
      redis: server.url,
      prefix: 'campus',
      timeouts: { commandMs: 50 },
    })
    await satchel.connect()
    await server.pause()
    try {
      const start = performance.now()
      const res = await createApp({ satchel }).request('/health')
      expect(performance.now() - start).toBeLessThan(200)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'degraded', redis: { status: 'down' } })
    } finally {
      await server.resume()
      await satchel.close()
    }
  })

  it('is healthy in memory-only mode and 503 once closed', async () => {
    const satchel = createSatchel()
    const app = createApp({ satchel })
    expect(await (await app.request('/health')).json()).toMatchObject({
      status: 'healthy',
      mode: 'memory-only',
    })
    await satchel.close()
    expect((await app.request('/health')).status).toBe(503)
  })
})
