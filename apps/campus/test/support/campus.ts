/**
 * A whole campus for a test: a migrated database (PGlite, or a private schema on
 * `DATABASE_URL`) holding the `small` set, a satchel on the given Redis (or memory-only), the
 * app, and a logger that keeps every line so tests can assert on warnings and their fields.
 *
 * @example
 * const redis = await startRedis()
 * const campus = await startTestCampus({ redisUrl: redis.url })
 * const res = await campus.app.request('/math')
 * expect(campus.logs.some((l) => l.msg === 'bundle lesson lookup failed')).toBe(false)
 * await campus.close()
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Hono } from 'hono'
import { pino } from 'pino'
import { type CreateSatchelOptions, createSatchel, type Satchel } from 'satchel'
import { createApp } from '../../src/app.js'
import { type CampusDeps, type CampusDepsOptions, createCampusDeps } from '../../src/deps.js'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from './db.js'

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { level: number; msg: string }

/** What {@link startTestCampus} returns. */
export interface TestCampus {
  app: Hono
  deps: CampusDeps
  satchel: Satchel
  database: CampusTestDatabase
  /** The data directory (SCORM package files live under `<dataDir>/scorm`). */
  dataDir: string
  /** Every line logged so far (pino levels: 30 info, 40 warn, 50 error). */
  logs: LogLine[]
  /** Lines at warn level and above. */
  warnings(): LogLine[]
  close(): Promise<void>
}

/** Options of {@link startTestCampus}. */
export interface TestCampusOptions {
  /** Redis to use; undefined → memory-only satchel. */
  redisUrl?: string | undefined
  /** Seed the `small` set. @default true */
  seed?: boolean
  /** Use this database instead of opening a fresh one (it is not closed by `close()`). */
  database?: CampusTestDatabase
  adminToken?: string
  l1?: boolean
  /** satchel key prefix. @default 'campus' */
  prefix?: string
  /** More satchel options (merged over the test defaults). */
  satchel?: Partial<CreateSatchelOptions>
  /** Sign-in settings (session TTLs, trusted proxies, cookie policy). */
  auth?: CampusDepsOptions['auth']
  /** SMTP server for mail; undefined → the outbox table. */
  smtpUrl?: string
  /** Data directory (SCORM package files); default a fresh temporary one, removed on close. */
  dataDir?: string
  /** SCORM zip limits. */
  scormLimits?: CampusDepsOptions['scormLimits']
}

/**
 * Redis bounds for tests. The production 50 ms bound is too tight here: an embedded PGlite
 * query holds the test process's only thread for longer, so replies that arrived in time
 * would be counted as timeouts, open the breaker and silently turn the cache off.
 */
export const TEST_TIMEOUTS = { commandMs: 2000, connectMs: 2000 } as const

/** Test admin token. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

/** Starts a campus for a test (see the module comment). */
export async function startTestCampus(options: TestCampusOptions = {}): Promise<TestCampus> {
  const ownsDatabase = options.database === undefined
  const database = options.database ?? (await openCampusTestDatabase())
  if (ownsDatabase && options.seed !== false) {
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
  }
  const logs: LogLine[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line))
      callback()
    },
  })
  const logger = pino({ level: 'debug', base: undefined }, stream)
  const satchel = createSatchel({
    redis: options.redisUrl,
    prefix: options.prefix ?? 'campus',
    timeouts: TEST_TIMEOUTS,
    ...options.satchel,
  })
  if (options.redisUrl) await satchel.connect()
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'campus-test-'))
  const deps = createCampusDeps({
    dataDir,
    scormLimits: options.scormLimits,
    satchel,
    database,
    logger,
    adminToken: options.adminToken ?? TEST_ADMIN_TOKEN,
    l1: options.l1,
    auth: options.auth,
    smtpUrl: options.smtpUrl,
  })
  const app = createApp(deps)
  return {
    dataDir,
    app,
    deps,
    satchel,
    database,
    logs,
    warnings: () => logs.filter((l) => l.level >= 40),
    async close() {
      deps.content.metrics.detach()
      deps.opsMetrics.detach()
      deps.adminArea.close()
      await deps.auth.background.settled()
      await deps.mailer.close()
      await satchel.close()
      if (ownsDatabase) await database.close()
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
