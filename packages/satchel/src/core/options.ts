import type { ConnectionOptions as TlsOptions } from 'node:tls'
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis'
import { z } from 'zod'
import { type Duration, parseDuration } from './duration.js'
import { InvalidOptionError } from './errors.js'
import { type Logger, silentLogger } from './logger.js'

/** How to reach a Redis Cluster when satchel creates the client. */
export interface ClusterInput {
  cluster: {
    /** Startup nodes: `'redis://host:port'` strings or `{ host, port }`. */
    nodes: Array<string | ClusterNode>
    /** Extra ioredis Cluster options; satchel's safety options (timeouts, no offline queue) win. */
    options?: ClusterOptions
  }
}

/**
 * Where Redis is: a URL (`redis://`, `rediss://`), ioredis options (including `sentinels`),
 * `{ cluster: { nodes } }`, or an existing `Redis` / `Cluster` instance. `undefined` means
 * memory-only: every primitive takes its documented fallback.
 */
export type RedisInput = string | RedisOptions | ClusterInput | Redis | Cluster

/** Options for {@link createSatchel}. Every field is optional. */
export interface SatchelOptions {
  /** Where Redis is. @default undefined (memory-only) */
  redis?: RedisInput
  /** Key prefix for everything satchel writes. @default 'satchel' */
  prefix?: string
  timeouts?: {
    /** Longest wait for a connection before a call falls back. @default 1000 */
    connectMs?: Duration
    /** Longest wait for any single Redis command. @default 50 */
    commandMs?: Duration
  }
  breaker?: {
    /** Consecutive failures or timeouts that open the breaker. @default 5 */
    failureThreshold?: number
    /** While open, how often a single PING probes whether Redis is back. @default 1000 */
    probeIntervalMs?: Duration
  }
  reconnect?: {
    /** First reconnect delay ceiling; doubles per attempt (full jitter). @default 50 */
    baseMs?: Duration
    /** Largest reconnect delay. @default 2000 */
    capMs?: Duration
  }
  /**
   * TLS for connections satchel creates. `true` uses the system CAs; an object is passed to
   * `tls.connect`. `rediss://` URLs and `REDIS_TLS_ENABLED=true` turn it on too.
   * @default false
   */
  tls?: boolean | TlsOptions
  /** Minimum time between two log lines for the same recurring Redis failure. @default 10000 */
  logIntervalMs?: Duration
  /** How long `close()` lets in-flight commands finish before disconnecting. @default 2000 */
  closeDeadlineMs?: Duration
  /** pino-compatible logger. @default silent */
  logger?: Logger
  /** Environment read for `REDIS_TLS_ENABLED` (and `SATCHEL_FLAGS` when `flags` is unset). @default process.env */
  env?: Record<string, string | undefined>
}

/** {@link SatchelOptions} after validation and duration parsing: what the rest of satchel reads. */
export interface ResolvedCoreOptions {
  prefix: string
  connectMs: number
  commandMs: number
  failureThreshold: number
  probeIntervalMs: number
  reconnectBaseMs: number
  reconnectCapMs: number
  tls: TlsOptions | undefined
  logIntervalMs: number
  closeDeadlineMs: number
  logger: Logger
  env: Record<string, string | undefined>
}

const duration = z.union([z.number(), z.string()])

// zod checks shapes and ranges; durations are parsed afterwards so their errors name the field.
const schema = z.object({
  prefix: z.string().min(1).default('satchel'),
  timeouts: z
    .object({ connectMs: duration.default(1000), commandMs: duration.default(50) })
    .default({ connectMs: 1000, commandMs: 50 }),
  breaker: z
    .object({
      failureThreshold: z.number().int().min(1).default(5),
      probeIntervalMs: duration.default(1000),
    })
    .default({ failureThreshold: 5, probeIntervalMs: 1000 }),
  reconnect: z
    .object({ baseMs: duration.default(50), capMs: duration.default(2000) })
    .default({ baseMs: 50, capMs: 2000 }),
  logIntervalMs: duration.default(10_000),
  closeDeadlineMs: duration.default(2000),
})

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on'])

/**
 * Validates and resolves the core options in one place.
 * @throws InvalidOptionError naming the first invalid field.
 */
export function resolveCoreOptions(options: SatchelOptions): ResolvedCoreOptions {
  const parsed = schema.safeParse({
    prefix: options.prefix,
    timeouts: options.timeouts,
    breaker: options.breaker,
    reconnect: options.reconnect,
    logIntervalMs: options.logIntervalMs,
    closeDeadlineMs: options.closeDeadlineMs,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.join('.') || 'options'
    throw new InvalidOptionError(field, issue?.message ?? 'invalid value', { cause: parsed.error })
  }
  const o = parsed.data
  const env = options.env ?? process.env
  const commandMs = parseDuration(o.timeouts.commandMs, 'timeouts.commandMs')
  if (commandMs < 1) throw new InvalidOptionError('timeouts.commandMs', 'must be at least 1 ms')
  const connectMs = parseDuration(o.timeouts.connectMs, 'timeouts.connectMs')
  if (connectMs < 1) throw new InvalidOptionError('timeouts.connectMs', 'must be at least 1 ms')
  const reconnectBaseMs = parseDuration(o.reconnect.baseMs, 'reconnect.baseMs')
  const reconnectCapMs = parseDuration(o.reconnect.capMs, 'reconnect.capMs')
  if (reconnectCapMs < reconnectBaseMs) {
    throw new InvalidOptionError('reconnect.capMs', 'must be at least reconnect.baseMs')
  }
  return {
    prefix: o.prefix,
    connectMs,
    commandMs,
    failureThreshold: o.breaker.failureThreshold,
    probeIntervalMs: Math.max(
      1,
      parseDuration(o.breaker.probeIntervalMs, 'breaker.probeIntervalMs'),
    ),
    reconnectBaseMs,
    reconnectCapMs,
    tls: resolveTls(options.tls, env),
    logIntervalMs: parseDuration(o.logIntervalMs, 'logIntervalMs'),
    closeDeadlineMs: parseDuration(o.closeDeadlineMs, 'closeDeadlineMs'),
    logger: options.logger ?? silentLogger,
    env,
  }
}

function resolveTls(
  tls: SatchelOptions['tls'],
  env: Record<string, string | undefined>,
): TlsOptions | undefined {
  if (typeof tls === 'object') return tls
  if (tls === true) return {}
  if (tls === false) return undefined
  const flag = env.REDIS_TLS_ENABLED?.trim().toLowerCase()
  return flag && TRUE_VALUES.has(flag) ? {} : undefined
}
