/**
 * Adoption of a caller's ioredis client that comes from another copy of ioredis (two versions in
 * one tree, or a bundled copy): satchel recognises it by shape, since `instanceof` against its
 * own copy's classes is false.
 */
import { createRequire } from 'node:module'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

/** A second, independent copy of ioredis: the CommonJS cache emptied of it, then required again. */
function anotherIoredis(): typeof import('ioredis') {
  const require = createRequire(import.meta.url)
  const entry = require.resolve('ioredis')
  const root = entry.slice(0, entry.lastIndexOf('/ioredis/') + '/ioredis/'.length)
  const saved = Object.entries(require.cache).filter(([path]) => path.startsWith(root))
  for (const [path] of saved) delete require.cache[path]
  try {
    return require('ioredis') as typeof import('ioredis')
  } finally {
    // Put the original copy back for everyone else in this process.
    for (const [path] of Object.entries(require.cache)) {
      if (path.startsWith(root)) delete require.cache[path]
    }
    for (const [path, module] of saved) require.cache[path] = module
  }
}

let server: RedisServer

beforeAll(async () => {
  server = await startRedis()
})
afterAll(async () => {
  await server?.stop()
})

describe('a caller’s client from another copy of ioredis', () => {
  it('is adopted (not instanceof satchel’s ioredis) and left open on close', async () => {
    const copy = anotherIoredis()
    const client = new copy.Redis(server.url)
    client.on('error', () => {}) // reconnect attempts after the server stops
    expect(client).not.toBeInstanceOf(Redis) // the situation under test
    const satchel = createSatchel({ redis: client, prefix: 'foreign' })
    try {
      await satchel.cache.set('k', { n: 1 })
      expect(await satchel.cache.get('k', { l1: false })).toEqual({ n: 1 })
      expect((await satchel.health()).redis.status).toBe('up')
    } finally {
      await satchel.close()
    }
    expect(await client.ping()).toBe('PONG') // satchel did not close a client it does not own
    client.disconnect()
  })
})
