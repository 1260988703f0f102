import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { ContentCachePolicy } from './cache-policy.js'
import type { ContentMetrics } from './metrics.js'

/** The structured logger content code writes to (pino's shape). */
export interface ContentLogger {
  debug(fields: object, message: string): void
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
}

/** What every content loader needs: built once per process and passed down. */
export interface ContentContext {
  db: Database
  satchel: Satchel
  logger: ContentLogger
  metrics: ContentMetrics
  /** TTL, grace and tiers of every content read (`CONTENT_CACHE` unless the deps override it). */
  cache: ContentCachePolicy
}
