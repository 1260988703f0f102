import type { ConnectionOptions as TlsOptions } from 'node:tls'
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis'
import { z } from 'zod'
import type { Duration } from './duration.js'
import { InvalidOptionError } from './errors.js'
import { type Logger, silentLogger } from './logger.js'
import { durationMs, integer, optionsObject, resolveWith } from './option-schema.js'

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

const MINUTE = 60_000
const HOUR = 3_600_000

/** Bounds of every core option: see the options table in the package README. */
export const CORE_LIMITS = {
  connectMs: { min: 1, max: 10 * MINUTE },
  commandMs: { min: 1, max: MINUTE },
  failureThreshold: { min: 1, max: 10_000 },
  probeIntervalMs: { min: 1, max: HOUR },
  reconnectBaseMs: { min: 1, max: MINUTE },
  reconnectCapMs: { min: 1, max: HOUR },
  logIntervalMs: { min: 0, max: 24 * HOUR },
  closeDeadlineMs: { min: 0, max: 10 * MINUTE },
  prefixLength: 128,
} as const

const L = CORE_LIMITS
const between = (limits: { min: number; max: number }) => durationMs(limits.min, limits.max)

const logger = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].every(
      (level) => typeof (value as Record<string, unknown>)[level] === 'function',
    ),
  { error: 'expected a pino-compatible logger (debug, info, warn and error functions)' },
)

const objectOrNothing = (what: string) =>
  z
    .custom<object | undefined>(
      (value) => value === undefined || (typeof value === 'object' && value !== null),
      { error: `expected ${what}` },
    )
    .optional()

// The one place the core options are checked; capabilities' options are checked by their own
// schemas (see createSatchel), all through `resolveWith`.
const schema = optionsObject({
  redis: z
    .custom<RedisInput | undefined>(
      (value) =>
        value === undefined ||
        // An empty string (an unset REDIS_URL) means memory-only, like undefined.
        typeof value === 'string' ||
        (typeof value === 'object' && value !== null),
      {
        error: 'expected a redis:// URL, ioredis options, { cluster }, or a Redis/Cluster instance',
      },
    )
    .optional(),
  prefix: z.string().min(1).max(L.prefixLength).default('satchel'),
  timeouts: optionsObject({
    connectMs: between(L.connectMs).default(1000),
    commandMs: between(L.commandMs).default(50),
  }).default({ connectMs: 1000, commandMs: 50 }),
  breaker: optionsObject({
    failureThreshold: integer(L.failureThreshold.min, L.failureThreshold.max).default(5),
    probeIntervalMs: between(L.probeIntervalMs).default(1000),
  }).default({ failureThreshold: 5, probeIntervalMs: 1000 }),
  reconnect: optionsObject({
    baseMs: between(L.reconnectBaseMs).default(50),
    capMs: between(L.reconnectCapMs).default(2000),
  }).default({ baseMs: 50, capMs: 2000 }),
  tls: z
    .custom<boolean | TlsOptions | undefined>(
      (value) =>
        value === undefined ||
        typeof value === 'boolean' ||
        (typeof value === 'object' && value !== null),
      { error: 'expected a boolean or tls.connect options' },
    )
    .optional(),
  logIntervalMs: between(L.logIntervalMs).default(10_000),
  closeDeadlineMs: between(L.closeDeadlineMs).default(2000),
  logger: logger.optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  // Checked in depth by their own resolvers; here only that each is an object when given.
  codec: objectOrNothing('codec options (an object)'),
  cache: objectOrNothing('cache options (an object)'),
  locks: objectOrNothing('locks options (an object)'),
})

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on'])

/**
 * Validates and resolves the core options in one place.
 * @throws InvalidOptionError naming the first invalid field.
 */
export function resolveCoreOptions(options: SatchelOptions): ResolvedCoreOptions {
  const o = resolveWith(schema, options ?? {}, '')
  if (o.reconnect.capMs < o.reconnect.baseMs) {
    throw new InvalidOptionError('reconnect.capMs', 'must be at least reconnect.baseMs')
  }
  const env = o.env ?? process.env
  return {
    prefix: o.prefix,
    connectMs: o.timeouts.connectMs,
    commandMs: o.timeouts.commandMs,
    failureThreshold: o.breaker.failureThreshold,
    probeIntervalMs: o.breaker.probeIntervalMs,
    reconnectBaseMs: o.reconnect.baseMs,
    reconnectCapMs: o.reconnect.capMs,
    tls: resolveTls(o.tls, env),
    logIntervalMs: o.logIntervalMs,
    closeDeadlineMs: o.closeDeadlineMs,
    logger: o.logger ?? silentLogger,
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
