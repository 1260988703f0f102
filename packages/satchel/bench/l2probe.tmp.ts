import { Redis } from 'ioredis'
import { createSatchel } from '/work/main/packages/satchel/src/index.js'
import { startRedis } from '/work/main/packages/satchel/src/testing/index.js'
import { concurrentThroughput, pairedRatio, serialLatency } from '/work/main/packages/satchel/bench/harness.js'

const server = await startRedis()
const raw = new Redis(server.url)
const satchel = createSatchel({ redis: server.url, prefix: 'bench', cache: { ttl: 600_000, grace: 0 } })
await satchel.connect()
const value = { id: 42, title: 'Fractions and decimals', body: 'x'.repeat(300), tags: ['math', 'grade-5'], xp: 120 }
const N = 1000
for (let i = 0; i < N; i++) {
  await raw.set(`raw:${i}`, JSON.stringify(value))
  await satchel.cache.set(`bench:g:${i}`, value, { ttl: 600_000, l1: false })
}
let i = 0, j = 0, k = 0
const contenders = {
  raw: async () => JSON.parse((await raw.get(`raw:${i++ % N}`)) as string),
  getOrSet: () => satchel.cache.getOrSet(`bench:g:${j++ % N}`, () => value, { l1: false, ttl: 600_000 }),
  get: () => satchel.cache.get(`bench:g:${k++ % N}`, { l1: false }),
}
const t = await concurrentThroughput(contenders, { rounds: 9, blockMs: 600, concurrency: 64 })
console.log(Object.fromEntries(Object.entries(t).map(([n, v]) => [n, v.opsPerSec])))
console.log('getOrSet/raw', pairedRatio(t.getOrSet!.rounds, t.raw!.rounds), 'get/raw', pairedRatio(t.get!.rounds, t.raw!.rounds))
const s = await serialLatency(contenders, { rounds: 10, perRound: 500, warmup: 500 })
console.log(s)
await satchel.close()
raw.disconnect()
await server.stop()
process.exit(0)
