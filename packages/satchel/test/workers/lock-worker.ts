/**
 * A process that hammers one lock: each acquisition checks, in a Redis on another server, that
 * it is the only holder (INCR must answer 1), and appends its fence to a list while holding.
 */
import { Redis } from 'ioredis'
import { createSatchel } from '../../src/index.js'
import { serveCommands } from '../../src/testing/index.js'

const satchel = createSatchel({
  redis: process.env.REDIS_URL,
  prefix: 'mp',
  // Eight processes share two cores with two servers: allow for scheduling delays, so a slow
  // answer is not mistaken for an outage.
  timeouts: { commandMs: 2000, connectMs: 2000 },
  breaker: { failureThreshold: 1000 },
})
const side = new Redis(process.env.SIDE_URL as string)

interface HammerArgs {
  resource: string
  count: number
  occupancyKey: string
  fencesKey: string
}

serveCommands({
  hammer: async ({ resource, count, occupancyKey, fencesKey }: HammerArgs) => {
    let maxOccupancy = 0
    let notReleased = 0
    for (let i = 0; i < count; i++) {
      const lock = await satchel.locks.acquire(resource, {
        ttl: '2s',
        retry: { attempts: Number.POSITIVE_INFINITY, delay: 1, jitter: 2 },
      })
      const occupancy = await side.incr(occupancyKey)
      maxOccupancy = Math.max(maxOccupancy, occupancy)
      await side.rpush(fencesKey, String(lock.fence))
      await side.decr(occupancyKey)
      if (!(await lock.release())) notReleased++
    }
    return { maxOccupancy, notReleased, acquired: satchel.locks.stats().acquired }
  },
  close: async () => {
    side.disconnect()
    await satchel.close()
  },
})
