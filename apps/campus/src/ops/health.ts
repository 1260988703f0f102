/**
 * `/health/detailed`: the database, Redis and the cache, each with its own status, so an
 * operator sees which dependency is failing. PostgreSQL is the source of truth (down → 503,
 * the instance cannot serve); Redis is an accelerator (down → 200 `degraded`, content comes from
 * the database and L1).
 *
 * Error texts (driver and connection messages, which can name hosts, ports and users) are shown
 * only to a caller holding the admin token; everyone else sees the statuses.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { HealthReport } from 'satchel'
import type { CampusDeps } from '../deps.js'

/** How long the database probe may take before the database counts as down. */
const DATABASE_PROBE_MS = 2_000

/** The database's part of the report. */
export interface DatabaseHealth {
  status: 'healthy' | 'unhealthy'
  /** Round trip of `SELECT 1` (ms), or null when it failed. */
  responseTimeMs: number | null
  error?: string
}

/** What `/health/detailed` answers. */
export interface DetailedHealth {
  status: 'healthy' | 'degraded' | 'unhealthy'
  timestamp: string
  /** Seconds since the process started. */
  uptime: number
  services: {
    database: DatabaseHealth
    redis: {
      status: 'healthy' | 'unhealthy' | 'disabled'
      latencyMs: number | null
      connection: string
      error?: string
    }
    cache: {
      status: HealthReport['status']
      mode: HealthReport['mode']
      hitRate: number
      l1Entries: number
      breaker: string | null
    }
  }
}

/** Times `SELECT 1`, bounded by {@link DATABASE_PROBE_MS}. */
export async function probeDatabase(deps: Pick<CampusDeps, 'database'>): Promise<DatabaseHealth> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      deps.database.db.execute(sql`SELECT 1`),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${DATABASE_PROBE_MS} ms`)),
          DATABASE_PROBE_MS,
        )
      }),
    ])
    return {
      status: 'healthy',
      responseTimeMs: Math.round((performance.now() - started) * 1000) / 1000,
    }
  } catch (error) {
    return { status: 'unhealthy', responseTimeMs: null, error: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

/** Builds the detailed report and its HTTP status (503 only when the instance cannot serve). */
export async function detailedHealth(
  deps: Pick<CampusDeps, 'database' | 'satchel' | 'startedAt'>,
): Promise<{ body: DetailedHealth; status: 200 | 503 }> {
  const [database, report] = await Promise.all([probeDatabase(deps), deps.satchel.health()])
  const stats = deps.satchel.stats()
  const redisStatus =
    report.redis.status === 'up'
      ? 'healthy'
      : report.redis.status === 'disabled'
        ? 'disabled'
        : 'unhealthy'
  const down = database.status === 'unhealthy' || report.status === 'down'
  const status = down ? 'unhealthy' : report.status === 'degraded' ? 'degraded' : 'healthy'
  return {
    status: down ? 503 : 200,
    body: {
      status,
      timestamp: new Date().toISOString(),
      uptime: Math.round((Date.now() - deps.startedAt) / 1000),
      services: {
        database,
        redis: {
          status: redisStatus,
          latencyMs: report.redis.latencyMs,
          connection: report.redis.connection,
          ...(report.redis.error === undefined ? {} : { error: report.redis.error }),
        },
        cache: {
          status: report.status,
          mode: report.mode,
          hitRate: stats.hitRate,
          l1Entries: stats.l1.entries,
          breaker: report.breaker?.state ?? null,
        },
      },
    },
  }
}

/** The satchel report without the Redis error text, for callers without the admin token. */
export function publicHealth(report: HealthReport): HealthReport {
  if (report.redis.error === undefined) return report
  const { error: _hidden, ...redis } = report.redis
  return { ...report, redis }
}

/** The detailed report without error texts, for callers without the admin token. */
export function publicDetailedHealth(report: DetailedHealth): DetailedHealth {
  const { error: _database, ...database } = report.services.database
  const { error: _redis, ...redis } = report.services.redis
  return { ...report, services: { ...report.services, database, redis } }
}
