import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, errors, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

/**
 * Connects (bounded by connectMs), then writes and reads a key. A call made before the
 * connection is ready waits for it only within its own commandMs (50 ms by default), which a TLS
 * handshake on a loaded machine can exceed; these tests are about reaching the server.
 */
async function roundTrip(satchel: Satchel): Promise<string | null> {
  await satchel.connect()
  await satchel.redis.exec('set', (r) => r.set('conn:k', 'v'))
  return satchel.redis.exec('get', (r) => r.get('conn:k'))
}

describe('connecting', () => {
  let plain: RedisServer
  beforeAll(async () => {
    plain = await startRedis()
  })
  afterAll(async () => {
    await plain.stop()
  })

  it('accepts a URL, connects lazily on first use, and closes what it created', async () => {
    // The first call's commandMs covers the connection too; 2 s leaves room for a loaded machine.
    const satchel = createSatchel({ redis: plain.url, timeouts: { commandMs: 2000 } })
    expect(satchel.redis.client?.status).toBe('wait')
    await satchel.redis.exec('set', (r) => r.set('conn:lazy', 'v'))
    expect(await satchel.redis.exec('get', (r) => r.get('conn:lazy'))).toBe('v')
    const client = satchel.redis.client!
    await satchel.close()
    expect(client.status).toBe('end')
  })

  it('accepts ioredis options', async () => {
    const satchel = createSatchel({ redis: { host: plain.host, port: plain.port, db: 2 } })
    await satchel.redis.exec('set', (r) => r.set('conn:db2-only', 'v'))
    expect(await satchel.redis.exec('get', (r) => r.get('conn:db2-only'))).toBe('v')
    const other = new Redis(plain.url)
    expect(await other.get('conn:db2-only')).toBe(null) // db 0 does not see db 2's key
    other.disconnect()
    await satchel.close()
  })

  it('adopts an existing client and leaves it open on close', async () => {
    const mine = new Redis(plain.url)
    const satchel = createSatchel({ redis: mine })
    expect(await roundTrip(satchel)).toBe('v')
    await satchel.close()
    expect(await mine.ping()).toBe('PONG')
    mine.disconnect()
  })

  it('runs memory-only without Redis: typed refusal, silent fallback, healthy', async () => {
    const satchel = createSatchel()
    const refused = await satchel.redis.exec('get', (r) => r.get('x')).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect((refused as InstanceType<typeof errors.E_REDIS_UNAVAILABLE>).reason).toBe('memory-only')
    expect(
      await satchel.redis.failOpen(
        'get',
        (r) => r.get('x'),
        () => 'fallback',
      ),
    ).toBe('fallback')
    await expect(satchel.connect()).resolves.toBeUndefined()
    const health = await satchel.health()
    expect(health).toMatchObject({ status: 'healthy', mode: 'memory-only' })
    expect(health.redis.status).toBe('disabled')
    await satchel.close()
    expect((await satchel.health()).status).toBe('down')
  })

  it('reports an unreachable server clearly, bounded by connectMs', async () => {
    const satchel = createSatchel({
      redis: 'redis://127.0.0.1:1',
      timeouts: { connectMs: 200 },
    })
    const start = performance.now()
    const error = await satchel.connect().catch((e: unknown) => e)
    expect(performance.now() - start).toBeLessThan(400)
    expect(error).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect((error as Error).message).toMatch(/not connected/)
    const health = await satchel.health()
    expect(health.status).toBe('degraded')
    await satchel.close()
  })

  it('rejects a URL without a redis scheme at creation', () => {
    expect(() => createSatchel({ redis: 'localhost:6379' })).toThrow(errors.E_INVALID_OPTION)
  })
})

describe('authentication', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis({
      password: 'default-secret',
      user: { name: 'app', password: 'app-secret' },
    })
  })
  afterAll(async () => {
    await server.stop()
  })

  it('connects with the default user password', async () => {
    const satchel = createSatchel({ redis: `redis://:default-secret@127.0.0.1:${server.port}` })
    expect(await roundTrip(satchel)).toBe('v')
    await satchel.close()
  })

  it('connects as an ACL user', async () => {
    const satchel = createSatchel({ redis: `redis://app:app-secret@127.0.0.1:${server.port}` })
    expect(await roundTrip(satchel)).toBe('v')
    const whoami = await satchel.redis.exec('acl', (r) => r.call('ACL', 'WHOAMI'))
    expect(whoami).toBe('app')
    await satchel.close()
  })

  it('turns a wrong password into a clear E_REDIS_AUTH error', async () => {
    for (const url of [
      `redis://:wrong@127.0.0.1:${server.port}`,
      `redis://app:wrong@127.0.0.1:${server.port}`,
    ]) {
      const satchel = createSatchel({ redis: url, timeouts: { connectMs: 500 } })
      const error = await satchel.connect().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(errors.E_REDIS_AUTH)
      expect((error as Error).message).toMatch(/refused the credentials.*WRONGPASS/)
      expect((await satchel.health()).redis.error).toMatch(/WRONGPASS/)
      await satchel.close()
    }
  })
})

describe('TLS', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis({ tls: true })
  })
  afterAll(async () => {
    await server.stop()
  })

  it('connects over rediss:// with the server CA', async () => {
    expect(server.url.startsWith('rediss://')).toBe(true)
    const satchel = createSatchel({ redis: server.url, tls: { ca: server.tls!.ca } })
    expect(await roundTrip(satchel)).toBe('v')
    await satchel.close()
  })

  it('REDIS_TLS_ENABLED=true turns TLS on for a redis:// URL', async () => {
    const url = `redis://127.0.0.1:${server.port}`
    // Without the CA in the trust store the handshake fails on certificate verification: proof
    // that TLS was attempted, where a plain-TCP client fails differently.
    const tlsOn = createSatchel({
      redis: url,
      env: { REDIS_TLS_ENABLED: 'true' },
      timeouts: { connectMs: 500 },
    })
    const tlsError = await tlsOn.connect().catch((e: unknown) => e)
    expect(((tlsError as Error).cause as NodeJS.ErrnoException).code).toMatch(
      /CERT|SIGNATURE|ISSUER/,
    )
    await tlsOn.close()

    // With the CA supplied, the same env switch gives a working connection.
    const trusted = createSatchel({
      redis: url,
      env: { REDIS_TLS_ENABLED: 'true' },
      tls: { ca: server.tls!.ca },
    })
    expect(await roundTrip(trusted)).toBe('v')
    await trusted.close()

    const plainClient = createSatchel({ redis: url, env: {}, timeouts: { connectMs: 300 } })
    const plainError = await plainClient.connect().catch((e: unknown) => e)
    expect(plainError).toBeInstanceOf(errors.E_REDIS_UNAVAILABLE)
    expect(
      String(((plainError as Error).cause as NodeJS.ErrnoException | undefined)?.code),
    ).not.toMatch(/CERT/)
    await plainClient.close()
  })
})
