import { Redis } from 'ioredis'
import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
const server = await startRedis()
const admin = new Redis(server.url)
const satchel = createSatchel({ redis: server.url, prefix: 'bench', cache: { ttl: 600_000, grace: 0 } })
await satchel.connect()
const value = { id: 42 }
for (let i = 0; i < 100; i++) await satchel.cache.set(`bench:g:${i}`, value, { ttl: 600_000, l1: false })
await admin.config('RESETSTAT')
for (let i = 0; i < 100; i++) await satchel.cache.getOrSet(`bench:g:${i}`, () => value, { l1: false, ttl: 600_000 })
console.log((await admin.info('commandstats')).split('\n').filter(l => l.startsWith('cmdstat')).join('\n'))
await admin.config('RESETSTAT')
for (let i = 0; i < 100; i++) await satchel.cache.getOrSet(`bench:miss:${i}`, () => value, { ttl: 600_000 })
console.log('--- 100 misses'); console.log((await admin.info('commandstats')).split('\n').filter(l => l.startsWith('cmdstat')).join('\n'))
await satchel.close(); admin.disconnect(); await server.stop(); process.exit(0)
