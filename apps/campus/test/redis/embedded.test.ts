/**
 * The private redis-server of `npm start`: reachable only through a 0700 directory's socket with
 * a random password, no DEBUG, a memory cap with an eviction policy, no persistence, and gone
 * when campus is.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedRedis, findOnPath, startEmbeddedRedis } from '../../src/redis/embedded.js'

const hasRedis = findOnPath('redis-server') !== undefined
const campusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 15 s`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe.skipIf(!hasRedis)('embedded redis-server', { timeout: 60_000 }, () => {
  let server: EmbeddedRedis
  let client: Redis
  beforeAll(async () => {
    server = (await startEmbeddedRedis({ maxmemory: '16mb' })) as EmbeddedRedis
    client = new Redis({ ...server.connection, lazyConnect: true, maxRetriesPerRequest: 0 })
    await client.connect()
  })
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  it('answers on its socket with the password, and refuses commands without it', async () => {
    expect(await client.ping()).toBe('PONG')
    const anonymous = new Redis({
      path: server.connection.path,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
    })
    anonymous.on('error', () => {})
    try {
      await anonymous.connect()
      await expect(anonymous.get('k')).rejects.toThrow(/NOAUTH/)
    } finally {
      anonymous.disconnect()
    }
    expect(server.connection.password).toMatch(/^[0-9a-f]{64}$/)
  })

  it('has no TCP listener, and its directory and socket are owner-only', async () => {
    expect(await client.config('GET', 'port')).toEqual(['port', '0'])
    expect(statSync(server.dir).mode & 0o777).toBe(0o700)
    expect(statSync(server.connection.path).mode & 0o077).toBe(0)
    expect(statSync(join(server.dir, 'redis.conf')).mode & 0o777).toBe(0o600)
  })

  it('refuses DEBUG, runs in protected mode, caps memory with volatile-lru, persists nothing', async () => {
    await expect(client.call('DEBUG', 'SLEEP', '0')).rejects.toThrow(/DEBUG command not allowed/)
    const setting = async (name: string) => ((await client.config('GET', name)) as string[])[1]
    expect(await setting('protected-mode')).toBe('yes')
    expect(await setting('maxmemory')).toBe(String(16 * 1024 * 1024))
    expect(await setting('maxmemory-policy')).toBe('volatile-lru')
    expect(await setting('save')).toBe('')
    expect(await setting('appendonly')).toBe('no')
  })

  it('stop() ends the server and removes its directory', async () => {
    const other = (await startEmbeddedRedis()) as EmbeddedRedis
    expect(alive(other.pid)).toBe(true)
    await other.stop()
    expect(alive(other.pid)).toBe(false)
    expect(existsSync(other.dir)).toBe(false)
  })

  for (const how of ['exit', 'throw', 'signal'] as const) {
    it(`is killed when its process ends (${how})`, async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/redis/embedded-child.ts', how],
        {
          cwd: campusDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
      })
      child.stderr.on('data', () => {})
      await once(child, 'exit')
      const line = output.split('\n').find((l) => l.startsWith('{'))
      expect(line, output).toBeDefined()
      const { pid, dir } = JSON.parse(line as string) as { pid: number; dir: string }
      // Orphaned, the killed server is reaped by init; poll until it is gone.
      await until(() => !alive(pid), `redis-server ${pid} still running`)
      expect(existsSync(dir)).toBe(false)
    })
  }
})
