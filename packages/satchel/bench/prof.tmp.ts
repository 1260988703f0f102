import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
const server = await startRedis()
const satchel = createSatchel({ redis: server.url, prefix: 'bench', cache: { ttl: 600_000, grace: 0 } })
await satchel.connect()
const value = { id: 42, title: 'Fractions and decimals', body: 'x'.repeat(300), tags: ['math', 'grade-5'], xp: 120 }
const N = 1000
for (let i = 0; i < N; i++) await satchel.cache.set(`bench:g:${i}`, value, { ttl: 600_000, l1: false })
let j = 0
const deadline = performance.now() + 5000
let ops = 0
await Promise.all(Array.from({ length: 64 }, async () => {
  while (performance.now() < deadline) { await satchel.cache.getOrSet(`bench:g:${j++ % N}`, () => value, { l1: false, ttl: 600_000 }); ops++ }
}))
console.log('ops/s', ops / 5)
await satchel.close(); await server.stop(); process.exit(0)
