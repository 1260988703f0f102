import { createSatchel } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { startTestCampus, type TestCampus } from './support/campus.js'

describe('GET /health', () => {
  let server: RedisServer
  let campus: TestCampus
  beforeAll(async () => {
    server = await startRedis()
    campus = await startTestCampus({ redisUrl: server.url, seed: false })
  })
  afterAll(async () => {
    await campus?.close()
    await server?.stop()
  })

  it('is healthy with Redis up and reports its latency', async () => {
    const res = await campus.app.request('/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as {
      status: string
      redis: { status: string; latencyMs: number }
    }
    expect(body.status).toBe('healthy')
    expect(body.redis.status).toBe('up')
    expect(body.redis.latencyMs).toBeGreaterThan(0)
  })

  it('stays 200 but says degraded when Redis is hung, answering within the command bound', async () => {
    // The production bound (test campuses use a looser one, see TEST_TIMEOUTS).
    const satchel = createSatchel({
      redis: server.url,
      prefix: 'campus',
      timeouts: { commandMs: 50 },
    })
    await satchel.connect()
    const app = createApp({ ...campus.deps, satchel })
    await server.pause()
    try {
      const start = performance.now()
      const res = await app.request('/health')
      expect(performance.now() - start).toBeLessThan(200)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'degraded', redis: { status: 'down' } })
    } finally {
      await server.resume()
      await satchel.close()
    }
  })

  it('is healthy in memory-only mode and 503 once closed', async () => {
    const memory = await startTestCampus({ seed: false })
    try {
      expect(await (await memory.app.request('/health')).json()).toMatchObject({
        status: 'healthy',
        mode: 'memory-only',
      })
      await memory.satchel.close()
      expect((await memory.app.request('/health')).status).toBe(503)
    } finally {
      await memory.close()
    }
  })
})
