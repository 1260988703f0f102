import { Redis, type RedisOptions } from 'ioredis'
import type { TlsMaterial } from './tls.js'

/** Where and how to reach a test server with an administrative connection. */
export interface AdminTarget {
  host: string
  port: number
  username?: string | undefined
  password?: string | undefined
  tls?: TlsMaterial | undefined
}

/**
 * Runs `fn` with a short-lived, non-retrying connection to `target` and always disconnects.
 *
 * Readiness probes and cluster setup want one attempt with a clear outcome: ioredis's defaults
 * (reconnect forever, queue commands while offline, retry each command) would turn "not up yet"
 * into a hang instead of an error the caller can poll on.
 */
export async function withAdminClient<T>(
  target: AdminTarget,
  timeoutMs: number,
  fn: (redis: Redis) => Promise<T>,
): Promise<T> {
  const options: RedisOptions = {
    host: target.host,
    port: target.port,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
  }
  if (target.username !== undefined) options.username = target.username
  if (target.password !== undefined) options.password = target.password
  if (target.tls) options.tls = { ca: target.tls.ca }
  const redis = new Redis(options)
  // Without a listener ioredis prints every failed probe as an "Unhandled error event".
  redis.on('error', () => {})
  try {
    await redis.connect()
    return await fn(redis)
  } finally {
    // After a failed connect the socket is already closed, and ioredis's disconnect() would arm
    // a 2-second timer waiting for a 'close' event that has already fired, keeping the process
    // alive for nothing.
    if (redis.status !== 'end') redis.disconnect()
  }
}
