import type { BreakerSnapshot } from './breaker.js'
import type { ConnectionStatus } from './events.js'
import type { RedisGateway } from './redis-gateway.js'

/** What `satchel.health()` reports. */
export interface HealthReport {
  /**
   * `healthy`: Redis answers (or satchel runs memory-only by configuration).
   * `degraded`: Redis is down or slow; every primitive is on its fallback path.
   * `down`: satchel has been closed.
   */
  status: 'healthy' | 'degraded' | 'down'
  mode: 'redis' | 'memory-only'
  redis: {
    status: 'up' | 'down' | 'disabled'
    /** PING round trip, or null when not measured (memory-only, breaker open, failed). */
    latencyMs: number | null
    connection: ConnectionStatus | 'disabled'
    /** Why Redis is down, when known. */
    error?: string
  }
  breaker: BreakerSnapshot | null
}

/**
 * Builds the health report. While the breaker is open no PING is sent (the breaker's own probe
 * is already asking), so a health endpoint polled every second adds no load to a struggling Redis.
 */
export async function checkHealth(gateway: RedisGateway): Promise<HealthReport> {
  const breaker = gateway.breaker?.snapshot() ?? null
  if (gateway.closed) {
    return {
      status: 'down',
      mode: gateway.enabled ? 'redis' : 'memory-only',
      redis: {
        status: gateway.enabled ? 'down' : 'disabled',
        latencyMs: null,
        connection: 'closed',
      },
      breaker,
    }
  }
  const connection = gateway.connection
  if (!connection) {
    return {
      status: 'healthy',
      mode: 'memory-only',
      redis: { status: 'disabled', latencyMs: null, connection: 'disabled' },
      breaker: null,
    }
  }
  if (breaker?.state !== 'closed') {
    return degraded(connection.status, breaker, connection.lastError?.message ?? 'circuit open')
  }
  try {
    const latencyMs = Math.round((await gateway.ping()) * 1000) / 1000
    return {
      status: 'healthy',
      mode: 'redis',
      redis: { status: 'up', latencyMs, connection: connection.status },
      breaker: gateway.breaker?.snapshot() ?? null,
    }
  } catch (error) {
    return degraded(
      connection.status,
      gateway.breaker?.snapshot() ?? null,
      error instanceof Error ? error.message : String(error),
    )
  }
}

function degraded(
  connection: ConnectionStatus,
  breaker: BreakerSnapshot | null,
  error: string,
): HealthReport {
  return {
    status: 'degraded',
    mode: 'redis',
    redis: { status: 'down', latencyMs: null, connection, error },
    breaker,
  }
}
