import { z } from 'zod'
import { estimatedEntropyBits, LOW_ENTROPY_BITS, tokenProblem } from './security/token-strength.js'

/** Campus configuration, read from the environment once at start. */
export interface CampusConfig {
  port: number
  host: string
  /** Redis URL; undefined → a private redis-server when one is on PATH, else memory-only. */
  redisUrl: string | undefined
  redisTls: boolean
  /** Raw `SATCHEL_FLAGS`; satchel validates the names. */
  satchelFlags: string | undefined
  /** PostgreSQL URL; undefined → embedded PGlite under {@link dataDir}. */
  databaseUrl: string | undefined
  /** Where PGlite keeps its files (and anything else campus stores locally). */
  dataDir: string
  /** Bearer token of the admin APIs; undefined → admin APIs answer 503 until one is set. */
  adminToken: string | undefined
  /** Bearer token `/metrics` requires; undefined → `/metrics` is open. */
  metricsToken: string | undefined
  /** Bounds of the HTTP server (docs/SECURITY.md). */
  http: HttpLimits
  /** `maxmemory` of the private redis-server (`npm start` without `REDIS_URL`). */
  embeddedRedisMaxmemory: string
  /** Problems that do not stop campus (a low-entropy token), printed once at start. */
  warnings: string[]
  /** pino level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Sign-in, sessions and mail (docs/auth.md). */
  auth: AuthConfig
}

/** The sign-in part of {@link CampusConfig}. */
export interface AuthConfig {
  /** SMTP server for outgoing mail; undefined → mail lands in the outbox table. */
  smtpUrl: string | undefined
  /** The From address of outgoing mail. */
  mailFrom: string
  /**
   * Addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` is believed; empty →
   * the socket address is the client.
   */
  trustedProxies: string[]
  /** Session lifetime (ms). */
  sessionTtlMs: number
  /** Longest life of a session's Redis copy (ms). */
  sessionIndexTtlMs: number
  /** `auto`: `Secure` cookies when the request came over TLS (directly or via the proxy). */
  cookieSecure: 'auto' | 'always' | 'never'
  /** The campus's public URL, for links in mail; undefined → the request's own origin. */
  publicUrl: string | undefined
}

/** Bounds of the HTTP server, each from its own variable. */
export interface HttpLimits {
  /** Largest request body, in bytes (`HTTP_BODY_LIMIT`). */
  bodyLimitBytes: number
  /** Time a client has to send the request headers (`HTTP_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number
  /** Time a client has to send the whole request (`HTTP_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number
  /** How long an idle keep-alive connection stays open (`HTTP_KEEP_ALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number
  /** Open connections at most; more are refused (`HTTP_MAX_CONNECTIONS`). */
  maxConnections: number
}

/** A bearer secret: optional, empty means unset, unusable or short values stop campus. */
const bearerSecret = z
  .string()
  .superRefine((value, ctx) => {
    const problem = tokenProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .optional()
  .or(z.literal('').transform(() => undefined))

const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback)

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_TLS_ENABLED: z.enum(['true', 'false', '1', '0', '']).optional(),
  SATCHEL_FLAGS: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CAMPUS_DATA_DIR: z.string().min(1).default('./.campus'),
  ADMIN_TOKEN: bearerSecret,
  METRICS_TOKEN: bearerSecret,
  HTTP_BODY_LIMIT: positiveInt(1_048_576, 100 * 1_048_576),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000, 3_600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000, 600_000),
  HTTP_MAX_CONNECTIONS: positiveInt(1_024, 1_000_000),
  EMBEDDED_REDIS_MAXMEMORY: z
    .string()
    .regex(/^[1-9][0-9]*(kb|mb|gb)$/i, 'must be a size such as 256mb')
    .default('256mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Campus <no-reply@campus.example>'),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0),
    ),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24 * 7),
  SESSION_INDEX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
})

/** Thrown when the environment is invalid; the message lists every bad variable. */
export class ConfigError extends Error {
  readonly code = 'E_CAMPUS_CONFIG'
}

/**
 * Validates the environment. Every problem is reported at once, each with its variable name,
 * so a misconfigured deploy fails at start with one readable message.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): CampusConfig {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid campus configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const warnings: string[] = []
  for (const [name, token] of [
    ['ADMIN_TOKEN', e.ADMIN_TOKEN],
    ['METRICS_TOKEN', e.METRICS_TOKEN],
  ] as const) {
    if (token !== undefined && estimatedEntropyBits(token) < LOW_ENTROPY_BITS) {
      warnings.push(
        `${name} looks guessable (few distinct or repeated characters); use a random one, e.g. openssl rand -hex 32`,
      )
    }
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid campus configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS',
    )
  }
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisTls: e.REDIS_TLS_ENABLED === 'true' || e.REDIS_TLS_ENABLED === '1',
    satchelFlags: e.SATCHEL_FLAGS,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CAMPUS_DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    http: {
      bodyLimitBytes: e.HTTP_BODY_LIMIT,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    embeddedRedisMaxmemory: e.EMBEDDED_REDIS_MAXMEMORY,
    logLevel: e.LOG_LEVEL,
    auth: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      trustedProxies: e.TRUSTED_PROXIES,
      sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3_600_000),
      sessionIndexTtlMs: e.SESSION_INDEX_TTL_SECONDS * 1000,
      cookieSecure: e.COOKIE_SECURE,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    },
    warnings,
  }
}
