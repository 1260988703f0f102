import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthReport } from '../../src/core/health.js'
import { healthHandler, healthRoute } from '../../src/http/health.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { FUNCTIONAL_COMMAND_MS, useRedis } from '../helpers.js'

describe('health handler against a real Redis', () => {
  const server = useRedis()
  let satchel: Satchel

  beforeAll(async () => {
    satchel = createSatchel({
      redis: server.url,
      timeouts: { commandMs: FUNCTIONAL_COMMAND_MS, connectMs: 500 },
      reconnect: { baseMs: 20, capMs: 100 },
    })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel?.close({ deadlineMs: 100 })
  })

  it('answers 200 healthy while Redis is up, 200 degraded once it is killed, 503 after close', async () => {
    const health = healthHandler(satchel)
    const app = new Hono()
    app.get('/health', healthRoute(satchel))

    const up = await health(new Request('http://campus.test/health'))
    expect(up.status).toBe(200)
    expect(up.headers.get('cache-control')).toBe('no-store')
    const upReport = (await up.json()) as HealthReport
    expect(upReport.status).toBe('healthy')
    expect(upReport.redis.status).toBe('up')
    expect(typeof upReport.redis.latencyMs).toBe('number')
    const viaHono = await app.request('/health')
    expect(viaHono.status).toBe(200)
    expect(((await viaHono.json()) as HealthReport).status).toBe('healthy')

    await server.kill()
    const down = await health(new Request('http://campus.test/health'))
    // Redis down is degraded service, not an outage: the instance stays in rotation.
    expect(down.status).toBe(200)
    const downReport = (await down.json()) as HealthReport
    expect(downReport.status).toBe('degraded')
    expect(downReport.redis.status).toBe('down')
    expect((await app.request('/health')).status).toBe(200)

    await satchel.close({ deadlineMs: 100 })
    const closed = await health(new Request('http://campus.test/health'))
    expect(closed.status).toBe(503)
    expect(((await closed.json()) as HealthReport).status).toBe('down')
    expect((await app.request('/health')).status).toBe(503)
  })
})
