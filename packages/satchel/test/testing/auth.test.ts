import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

// Characters that need escaping in a URL and quoting in redis.conf.
const AWKWARD_PASSWORD = 'p@ss w:rd/"\\#?%'

/** A client that reports the first failure instead of retrying. */
function client(server: RedisServer, options: RedisOptions): Redis {
  const redis = new Redis({
    host: server.host,
    port: server.port,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    ...options,
  })
  redis.on('error', () => {})
  return redis
}

async function pingWith(redis: Redis): Promise<string> {
  try {
    return await redis.ping()
  } finally {
    redis.disconnect()
  }
}

describe('startRedis({ password })', () => {
  let server: RedisServer

  beforeAll(async () => {
    server = await startRedis({ password: AWKWARD_PASSWORD })
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('exposes the password and puts it, URL-encoded, in the url', () => {
    expect(server.password).toBe(AWKWARD_PASSWORD)
    expect(server.username).toBeUndefined()
    expect(server.url).toBe(
      `redis://:${encodeURIComponent(AWKWARD_PASSWORD)}@127.0.0.1:${server.port}`,
    )
  })

  it('accepts the right password, by url and by options', async () => {
    expect(await pingWith(new Redis(server.url))).toBe('PONG')
    expect(await pingWith(client(server, { password: AWKWARD_PASSWORD }))).toBe('PONG')
  })

  it('refuses a wrong password with WRONGPASS', async () => {
    await expect(pingWith(client(server, { password: 'wrong' }))).rejects.toThrow(/WRONGPASS/)
  })

  it('refuses a client without credentials with NOAUTH', async () => {
    await expect(pingWith(client(server, {}))).rejects.toThrow(/NOAUTH/)
  })
})

describe('startRedis({ user })', () => {
  let server: RedisServer
  const user = { name: 'app', password: AWKWARD_PASSWORD }

  beforeAll(async () => {
    server = await startRedis({ user })
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('logs in as the ACL user through the url', async () => {
    expect(server.username).toBe('app')
    expect(server.password).toBe(AWKWARD_PASSWORD)
    const redis = new Redis(server.url)
    try {
      expect(await redis.call('ACL', 'WHOAMI')).toBe('app')
      await redis.set('k', 'v')
      expect(await redis.get('k')).toBe('v')
    } finally {
      redis.disconnect()
    }
  })

  it('refuses the ACL user with a wrong password with WRONGPASS', async () => {
    await expect(pingWith(client(server, { username: 'app', password: 'nope' }))).rejects.toThrow(
      /WRONGPASS/,
    )
  })

  it('leaves the default user as it was (no password)', async () => {
    const redis = client(server, {})
    try {
      expect(await redis.call('ACL', 'WHOAMI')).toBe('default')
    } finally {
      redis.disconnect()
    }
  })
})

describe('startRedis({ password, user })', () => {
  it('protects the default user too, and the url uses the ACL user', async () => {
    const server = await startRedis({
      password: 'default-secret',
      user: { name: 'worker', password: 'worker-secret' },
    })
    try {
      expect(server.url).toBe(`redis://worker:worker-secret@127.0.0.1:${server.port}`)
      expect(await pingWith(new Redis(server.url))).toBe('PONG')
      expect(await pingWith(client(server, { password: 'default-secret' }))).toBe('PONG')
      await expect(pingWith(client(server, {}))).rejects.toThrow(/NOAUTH/)
    } finally {
      await server.stop()
    }
  })
})
