/**
 * A process that commits rows to Postgres and then increments a satchel counter, for the
 * multi-process counter tests. Env: REDIS_URL, DATABASE_URL, PREFIX, TABLE, SETTLE_MS.
 */
import { createSatchel } from '../../src/index.js'
import { serveCommands } from '../../src/testing/index.js'
import { CountedTable } from '../counter/fixtures.js'
import { openTestDatabase } from '../db.js'
import { FUNCTIONAL_COMMAND_MS, sleep } from '../helpers.js'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`counter-worker: ${name} is not set`)
  return value
}

const db = await openTestDatabase(env('DATABASE_URL'))
const table = new CountedTable(db, env('TABLE'))
// Several processes share two cores with Redis and Postgres: a slow answer must not be taken for
// an outage (these tests are about drift and races, not the 50 ms bound).
const satchel = createSatchel({
  redis: env('REDIS_URL'),
  prefix: env('PREFIX'),
  timeouts: { commandMs: FUNCTIONAL_COMMAND_MS },
})
const counter = satchel.counter({
  name: 'pending',
  count: (orgId) => table.count(orgId),
  settle: Number(env('SETTLE_MS')),
})

serveCommands({
  /** `n` times: commit a row, wait up to `maxDelayMs`, then increment. */
  churn: async (args: { orgId: string; n: number; maxDelayMs: number }) => {
    let applied = 0
    for (let i = 0; i < args.n; i++) {
      await table.insert(args.orgId)
      if (args.maxDelayMs > 0) await sleep(Math.random() * args.maxDelayMs)
      if ((await counter.incr(args.orgId)).applied) applied++
    }
    return applied
  },
  /** Commits a row and dies (SIGKILL) before its increment: the crash the counter must survive. */
  commitThenDie: async (args: { orgId: string }) => {
    await table.insert(args.orgId)
    process.kill(process.pid, 'SIGKILL')
    await counter.incr(args.orgId)
  },
})
