/**
 * What the admin area keeps per process, hung on `CampusDeps` as `deps.adminArea`: the pending
 * login-link count and its live listeners, the idempotency store of admin POSTs, the cache-clear
 * limiter, and the cache statistics history the dashboard charts.
 *
 * @module
 */
import type { Idempotency, RateLimiter, Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { CampusLogger } from '../logger.js'
import { createCacheClearLimiter } from '../ops/cache-clear-limit.js'
import { createStatsHistory, type StatsHistory } from './cache/history.js'
import { createPendingLoginLinks, type PendingLoginLinks } from './login-links/pending.js'

/** The admin area's per-process parts. */
export interface AdminAreaRuntime {
  readonly pending: PendingLoginLinks
  /**
   * `Idempotency-Key` records of admin POSTs. Best effort (`onStoreDown: 'proceed'`): when
   * Redis is down a retried approval still meets the database's status check.
   */
  readonly idempotency: Idempotency
  /** One quota for every cache-clearing endpoint (API and page). */
  readonly cacheClearLimiter: RateLimiter
  readonly statsHistory: StatsHistory
  /** Stops timers (pending-count pollers, the stats sampler). */
  close(): void
}

/** Builds the admin area's parts. */
export function createAdminAreaRuntime(
  satchel: Satchel,
  db: Database,
  logger: CampusLogger,
): AdminAreaRuntime {
  const pending = createPendingLoginLinks(satchel, db, logger)
  const statsHistory = createStatsHistory(satchel)
  return {
    pending,
    idempotency: satchel.idempotency({ ttl: '24h', lease: '30s', onStoreDown: 'proceed' }),
    cacheClearLimiter: createCacheClearLimiter(satchel),
    statsHistory,
    close() {
      pending.close()
      statsHistory.close()
    },
  }
}
