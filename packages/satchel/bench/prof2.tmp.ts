import { Redis } from 'ioredis'
import { startRedis } from '../src/testing/index.js'
const server = await startRedis()
const raw = new Redis(server.url)
const value = { id: 42, title: 'Fractions and decimals', body: 'x'.repeat(300), tags: ['math', 'grade-5'], xp: 120 }
const N = 1000
for (let i = 0; i < N; i++) await raw.set(`bench:g:${i}`, JSON.stringify(value))
let j = 0
const deadline = performance.now() + 5000
let ops = 0
await Promise.all(Array.from({ length: 64 }, async () => {
  while (performance.now() < deadline) { JSON.parse((await raw.get(`bench:g:${j++ % N}`))!); ops++ }
}))
console.log('ops/s', ops / 5)
raw.disconnect(); await server.stop(); process.exit(0)
