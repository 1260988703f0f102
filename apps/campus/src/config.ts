import { z } from 'zod'

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
  ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (it guards the admin APIs)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
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
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisTls: e.REDIS_TLS_ENABLED === 'true' || e.REDIS_TLS_ENABLED === '1',
    satchelFlags: e.SATCHEL_FLAGS,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CAMPUS_DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
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
  }
}
