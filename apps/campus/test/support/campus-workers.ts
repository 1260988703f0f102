/**
 * Campus worker processes (support/worker-campus.ts) that share one redis-server and one
 * PostgreSQL schema, seeded with the small data set, with the test: what every multi-process
 * test needs before its first request. Needs DATABASE_URL (separate processes cannot share an
 * embedded PGlite); tests skip without it.
 */
import {
  type RedisServer,
  startRedis,
  startWorkers,
  stopWorkers,
  type WorkerProcess,
} from 'satchel/testing'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from './db.js'

const WORKER = new URL('./worker-campus.ts', import.meta.url)

/** True when processes can share a database (DATABASE_URL is set). */
export const HAS_SHARED_DATABASE = Boolean(process.env.DATABASE_URL)

/** The shared parts and the workers; `stop()` ends them all. */
export interface SharedCampus {
  readonly redis: RedisServer
  readonly database: CampusTestDatabase
  readonly workers: WorkerProcess[]
  stop(): Promise<void>
}

/** Options of {@link startSharedCampus}. */
export interface SharedCampusOptions {
  /** Worker processes to start. */
  workers: number
  /** The workers' ADMIN_TOKEN; none when undefined. */
  adminToken?: string
  /** Runs after seeding, before the workers start (more rows, a campus in this process). */
  prepare?: (database: CampusTestDatabase, redis: RedisServer) => Promise<unknown>
}

/** Starts Redis, a seeded private schema and `options.workers` campus processes on them. */
export async function startSharedCampus(options: SharedCampusOptions): Promise<SharedCampus> {
  const redis = await startRedis()
  const database = await openCampusTestDatabase()
  await writeDataset(database.db, generateDataset({ scale: 'small' }))
  await options.prepare?.(database, redis)
  const workers = await startWorkers(options.workers, WORKER, {
    // A campus worker opens its database and app before it is ready.
    readyTimeoutMs: 30_000,
    env: {
      REDIS_URL: redis.url,
      DATABASE_URL: database.url ?? '',
      CAMPUS_PG_SCHEMA: database.pgSchema ?? '',
      ...(options.adminToken ? { ADMIN_TOKEN: options.adminToken } : {}),
    },
  })
  return {
    redis,
    database,
    workers,
    async stop() {
      await stopWorkers(workers)
      await database.close()
      await redis.stop()
    },
  }
}
