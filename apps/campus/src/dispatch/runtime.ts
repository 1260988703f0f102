/**
 * What the dispatch routes share per process: the database, the dispatch cache and the cap
 * counters. Built once by `dispatchRoutes` from the campus dependencies.
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { CampusLogger } from '../logger.js'
import { type CourseLoader, createDispatchCache, type DispatchCache } from './cache.js'
import { type CapCounters, createCapCounters } from './cap-counters.js'

/** The dispatch module's per-process parts. */
export interface DispatchRuntime {
  readonly db: Database
  readonly satchel: Satchel
  readonly cache: DispatchCache
  readonly caps: CapCounters
  readonly logger: CampusLogger
}

/** Builds the runtime; `loadCourse` reads a dispatched package's summary. */
export function createDispatchRuntime(parts: {
  db: Database
  satchel: Satchel
  logger: CampusLogger
  loadCourse: CourseLoader
}): DispatchRuntime {
  return {
    db: parts.db,
    satchel: parts.satchel,
    cache: createDispatchCache(parts.satchel, parts.db, parts.loadCourse),
    caps: createCapCounters(parts.satchel, parts.db),
    logger: parts.logger,
  }
}
