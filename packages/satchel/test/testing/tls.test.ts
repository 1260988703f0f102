import { X509Certificate } from 'node:crypto'
import { Redis, type RedisOptions, ReplyError } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

function client(options: RedisOptions, errors: unknown[] = []): Redis {
  const redis = new Redis({
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    ...options,
  })
  redis.on('error', (error: unknown) => errors.push(error))
  return redis
}

async function pingWith(redis: Redis): Promise<string> {
  try {
    return await redis.ping()
  } finally {
    redis.disconnect()
  }
}

describe('startRedis({ tls: true })', () => {
  let server: RedisServer

  beforeAll(async () => {
    server = await startRedis({ tls: true, password: 'tls-secret' })
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('hands out PEM material for a certificate valid for 127.0.0.1 and localhost', () => {
    const tls = server.tls
    expect(tls).toBeDefined()
    if (!tls) return
    expect(tls.key).toContain('PRIVATE KEY')
    const ca = new X509Certificate(tls.ca)
    const cert = new X509Certificate(tls.cert)
    expect(cert.verify(ca.publicKey)).toBe(true)
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(cert.checkHost('localhost')).toBe('localhost')
    expect(ca.ca).toBe(true)
    expect(cert.ca).toBe(false)
  })

  it('is reached with a rediss:// url and the CA', async () => {
    expect(server.url).toBe(`rediss://:tls-secret@127.0.0.1:${server.port}`)
    const redis = new Redis(server.url, { tls: { ca: server.tls?.ca } })
    try {
      await redis.set('secure', 'yes')
      expect(await redis.get('secure')).toBe('yes')
    } finally {
      redis.disconnect()
    }
  })

  it('is reached with clientOptions, by IP and by localhost', async () => {
    expect(await pingWith(client(server.clientOptions))).toBe('PONG')
    expect(
      await pingWith(
        client({ ...server.clientOptions, host: 'localhost', tls: { ca: server.tls?.ca } }),
      ),
    ).toBe('PONG')
  })

  it('cannot be used over plain TCP', async () => {
    const errors: unknown[] = []
    const plain = client({ host: server.host, port: server.port, password: 'tls-secret' }, errors)
    const error = await pingWith(plain).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    // The connection is dropped during the handshake: Redis never answers in clear text.
    expect(error).not.toBeInstanceOf(ReplyError)
    expect(errors.some((e) => e instanceof ReplyError)).toBe(false)
  })

  it('is not trusted without the test CA', async () => {
    const errors: unknown[] = []
    const untrusting = client(
      { host: server.host, port: server.port, password: 'tls-secret', tls: {} },
      errors,
    )
    await expect(pingWith(untrusting)).rejects.toThrow()
    expect(errors).toContainEqual(expect.objectContaining({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }))
  })

  it('keeps TLS across restart', async () => {
    await server.kill()
    await server.restart()
    expect(await pingWith(client(server.clientOptions))).toBe('PONG')
  })
})
