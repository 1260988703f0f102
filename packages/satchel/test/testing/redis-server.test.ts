import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../src/core/errors.js'
import { type RedisServer, RedisServerError, startRedis } from '../../src/testing/index.js'
import { isGone } from './process-helpers.js'

function connect(server: RedisServer, options: { commandTimeout?: number } = {}): Redis {
  const redis = new Redis({ ...server.clientOptions, maxRetriesPerRequest: 1, ...options })
  redis.on('error', () => {})
  return redis
}

describe('startRedis', () => {
  let server: RedisServer

  beforeAll(async () => {
    server = await startRedis()
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('runs a private server on loopback that answers commands', async () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`)
    expect(server.state).toBe('running')
    expect(server.dir).toMatch(/satchel-redis-/)
    const redis = new Redis(server.url)
    try {
      expect(await redis.ping()).toBe('PONG')
      await redis.set('greeting', 'hello')
      expect(await redis.get('greeting')).toBe('hello')
      const info = await redis.info('server')
      expect(info).toContain(`process_id:${server.pid}`)
    } finally {
      redis.disconnect()
    }
  })

  it('runs without persistence and allows DEBUG', async () => {
    const redis = connect(server)
    try {
      expect(await redis.config('GET', 'save')).toEqual(['save', ''])
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no'])
      expect(await redis.call('DEBUG', 'SLEEP', '0')).toBe('OK')
    } finally {
      redis.disconnect()
    }
  })

  it('writes its log into its own directory', () => {
    expect(existsSync(join(server.dir, 'redis.log'))).toBe(true)
  })

  it('pause() makes commands time out and resume() makes them work again', async () => {
    const redis = connect(server, { commandTimeout: 100 })
    try {
      await redis.set('during-pause', 'before')
      await server.pause()
      expect(server.state).toBe('paused')
      await expect(redis.get('during-pause')).rejects.toThrow(/timed out/i)
      await server.pause() // idempotent
      await server.resume()
      expect(server.state).toBe('running')
      expect(await redis.get('during-pause')).toBe('before')
      await server.resume() // idempotent
    } finally {
      redis.disconnect()
    }
  })

  it('kill() ends the process and restart() brings a fresh one up on the same port', async () => {
    const { port, pid: oldPid } = server
    const redis = connect(server)
    await redis.set('before-crash', '1')
    redis.disconnect()

    await server.kill()
    expect(server.state).toBe('exited')
    expect(isGone(oldPid)).toBe(true)
    await server.kill() // idempotent

    await server.restart()
    expect(server.state).toBe('running')
    expect(server.port).toBe(port)
    expect(server.pid).not.toBe(oldPid)
    const after = connect(server)
    try {
      expect(await after.ping()).toBe('PONG')
      // No persistence: a crash loses everything.
      expect(await after.get('before-crash')).toBeNull()
    } finally {
      after.disconnect()
    }
  })

  it('restart() of a running or paused server stops it first', async () => {
    const firstPid = server.pid
    await server.restart()
    expect(isGone(firstPid)).toBe(true)
    const secondPid = server.pid
    await server.pause()
    await server.restart()
    expect(isGone(secondPid)).toBe(true)
    expect(server.state).toBe('running')
    const redis = connect(server)
    try {
      expect(await redis.ping()).toBe('PONG')
    } finally {
      redis.disconnect()
    }
  })
})

describe('RedisServer.stop', () => {
  it('shuts down, removes the directory, and is idempotent', async () => {
    const server = await startRedis()
    const { pid, dir } = server
    await server.stop()
    expect(server.state).toBe('stopped')
    expect(existsSync(dir)).toBe(false)
    expect(() => process.kill(pid, 0)).toThrow()
    await server.stop()
    await server.kill()
    await expect(server.pause()).rejects.toBeInstanceOf(RedisServerError)
  })

  it('stops a paused server', async () => {
    const server = await startRedis()
    await server.pause()
    await server.stop()
    expect(() => process.kill(server.pid, 0)).toThrow()
  })

  it('can restart a stopped server on the same port', async () => {
    const server = await startRedis()
    const port = server.port
    await server.stop()
    await server.restart()
    try {
      expect(server.port).toBe(port)
      expect(existsSync(join(server.dir, 'redis.conf'))).toBe(true)
      const redis = connect(server)
      expect(await redis.ping()).toBe('PONG')
      redis.disconnect()
    } finally {
      await server.stop()
    }
  })
})

describe('startRedis options and failures', () => {
  it('passes extra arguments to the server, overriding the defaults', async () => {
    const server = await startRedis({ args: ['--maxmemory', '2mb', '--loglevel', 'notice'] })
    try {
      const redis = connect(server)
      expect(await redis.config('GET', 'maxmemory')).toEqual(['maxmemory', String(2 * 1024 * 1024)])
      expect(await redis.config('GET', 'loglevel')).toEqual(['loglevel', 'notice'])
      redis.disconnect()
    } finally {
      await server.stop()
    }
  })

  it('reports a server that refuses to start with the tail of its output', async () => {
    const error = await startRedis({ args: ['--no-such-directive', 'x'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisServerError)
    const serverError = error as RedisServerError
    expect(serverError.code).toBe('E_REDIS_SERVER')
    expect(serverError.logTail).toContain('no-such-directive')
    expect(serverError.message).toContain('no-such-directive')
  })

  it('reports a missing binary', async () => {
    const error = await startRedis({ binary: '/nonexistent/redis-server' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisServerError)
    expect((error as RedisServerError).cause).toBeInstanceOf(Error)
  })

  it('rejects an invalid readyTimeoutMs before starting anything', async () => {
    await expect(startRedis({ readyTimeoutMs: 0 })).rejects.toBeInstanceOf(InvalidOptionError)
  })

  it.skipIf(!existsSync('/proc/self'))('keeps passwords out of the command line', async () => {
    const server = await startRedis({ password: 'not-in-argv' })
    try {
      const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')
      expect(cmdline).not.toContain('not-in-argv')
    } finally {
      await server.stop()
    }
  })
})
