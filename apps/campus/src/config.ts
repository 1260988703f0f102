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
  }
}
