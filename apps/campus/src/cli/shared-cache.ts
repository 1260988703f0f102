/**
 * Lets a command-line import reach the cache running campus processes share (the Redis at
 * `REDIS_URL`), so what it wrote does not stay hidden behind cached pages until their TTL.
 * Without `REDIS_URL` campus runs on a private Redis or memory that no command can reach.
 *
 * @module
 */
import { createSatchel } from 'satchel'
import { announceDataChange, type DataChange } from '../analytics/changes.js'
import type { CampusConfig } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import { type CampusDeps, createCampusDeps } from '../deps.js'
import { createLogger } from '../logger.js'

/** What {@link withSharedCache} tells the user when there is no shared cache. */
export const NO_SHARED_CACHE =
  'No REDIS_URL: running campus processes keep cached pages until their TTL or a restart.\n'

/**
 * Connects to `REDIS_URL`, runs `work` with campus's dependencies on that connection, and closes
 * it. Resolves with `work`'s line, {@link NO_SHARED_CACHE}, or a warning line when Redis could
 * not be reached: the import itself has committed either way.
 */
export async function withSharedCache(
  config: CampusConfig,
  database: DatabaseHandle,
  work: (deps: CampusDeps) => Promise<string>,
): Promise<string> {
  if (!config.redisUrl) return NO_SHARED_CACHE
  const logger = createLogger('warn')
  const satchel = createSatchel({
    redis: config.redisUrl,
    prefix: 'campus',
    tls: config.redisTls || undefined,
    timeouts: { connectMs: 2000, commandMs: 2000 },
    logger,
  })
  try {
    await satchel.connect()
    return await work(createCampusDeps({ satchel, database, logger }))
  } catch (error) {
    return `Warning: could not invalidate campus's cache (${(error as Error).message}).\n`
  } finally {
    await satchel.close()
  }
}

/**
 * Tells the analytics caches running campus processes share what an import changed
 * (analytics/changes.ts). Resolves with one line for the user; never throws.
 */
export function announceImportToCampus(
  config: CampusConfig,
  database: DatabaseHandle,
  change: Extract<DataChange, { kind: 'import' }>,
): Promise<string> {
  return withSharedCache(config, database, async (deps) => {
    const failed = await announceDataChange(
      { satchel: deps.satchel, db: database.db, logger: deps.logger },
      change,
    )
    return failed.length === 0
      ? `Analytics caches invalidated in Redis (REDIS_URL) for ${change.orgIds.join(', ')}.\n`
      : `Warning: analytics caches not invalidated (${failed.join(', ')}); they expire by TTL.\n`
  })
}
