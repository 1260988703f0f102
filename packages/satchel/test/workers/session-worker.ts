/**
 * A process that reads sessions through a satchel session index, for the multi-process session
 * tests. Env: REDIS_URL, DATABASE_URL, PREFIX, TABLE, and COMMAND_MS (default 50).
 */
import { createSatchel } from '../../src/index.js'
import { serveCommands } from '../../src/testing/index.js'
import { openTestDatabase } from '../db.js'
import { SessionTable } from '../session/fixtures.js'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`session-worker: ${name} is not set`)
  return value
}

const db = await openTestDatabase(env('DATABASE_URL'))
const table = new SessionTable(db, env('TABLE'))
const satchel = createSatchel({
  redis: env('REDIS_URL'),
  prefix: env('PREFIX'),
  timeouts: { commandMs: Number(process.env.COMMAND_MS ?? 50) },
})
const sessions = satchel.sessionIndex(table.options())

serveCommands({
  /** Reads every token concurrently; returns the user id each resolved to (null if none). */
  getAll: async (args: { tokens: string[] }) => {
    const read = await Promise.all(args.tokens.map((t) => sessions.get(t)))
    const { writes, fallbacks } = sessions.stats()
    return { users: read.map((s) => s?.userId ?? null), writes, fallbacks }
  },
})
