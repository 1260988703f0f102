import { join } from 'node:path'
import { createSatchel, type Satchel, type SatchelOptions } from 'satchel'
import { startDashboardWarmup } from './analytics/dashboards/warm.js'
import { createApp } from './app.js'
import { startCleanupJob } from './auth/cleanup.js'
import { ConfigError, loadConfig } from './config.js'
import { CONTENT_WARNINGS_PER_MINUTE } from './content/bounded-warnings.js'
import { type DatabaseHandle, openDatabase } from './db/client.js'
import { makePrivateDir } from './db/private-files.js'
import { createCampusDeps } from './deps.js'
import { createLogger } from './logger.js'
import { type EmbeddedRedis, startEmbeddedRedis } from './redis/embedded.js'
import { describeDemoAccounts, existingDemoAccounts, seedDemoAccounts } from './seed/accounts.js'
import { enrollDemoAccounts } from './seed/demo-enrollments.js'
import { generateDataset } from './seed/generate.js'
import { isDatabaseEmpty, writeDataset } from './seed/write.js'
import { listen } from './server/listen.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  for (const warning of config.warnings) console.warn(`campus: warning: ${warning}`)

  // Anything campus keeps locally is for this user only (docs/SECURITY.md).
  if (!config.databaseUrl) makePrivateDir(config.dataDir)
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite'),
  })
  console.log(
    config.databaseUrl
      ? 'campus: using PostgreSQL at DATABASE_URL'
      : `campus: using embedded PGlite in ${join(config.dataDir, 'pglite')}`,
  )
  let redis: SatchelOptions['redis'] = config.redisUrl
  let embedded: EmbeddedRedis | undefined
  if (!redis) {
    embedded = await startEmbeddedRedis({ maxmemory: config.embeddedRedisMaxmemory })
    if (embedded) {
      redis = embedded.connection
      console.log(
        `campus: started a private redis-server (pid ${embedded.pid}) on unix socket ${embedded.connection.path}`,
      )
    } else {
      console.warn(
        'campus: warning: REDIS_URL is not set and no redis-server is on PATH; running memory-only (no shared cache, limits or locks across processes).',
      )
    }
  }
  const satchel = createSatchel({
    redis,
    prefix: 'campus',
    tls: config.redisTls || undefined,
    flags: config.satchelFlags,
    logger,
  })
  if (redis) {
    await satchel.connect().catch((error: Error) => {
      console.warn(
        `campus: warning: Redis unavailable at start (${error.message}); serving degraded`,
      )
    })
  }
  // A zero-configuration start should show a working platform, so an empty database gets the
  // demo set; a database with courses is never touched.
  const seededNow = await isDatabaseEmpty(database.db)
  if (seededNow) await seedDemoSet(database, satchel)

  if (!config.adminToken) {
    console.log('campus: ADMIN_TOKEN is not set; the admin APIs answer 503 until it is')
  }
  const deps = createCampusDeps({
    satchel,
    database,
    logger,
    adminToken: config.adminToken,
    auth: {
      sessionTtlMs: config.auth.sessionTtlMs,
      sessionIndexTtlMs: config.auth.sessionIndexTtlMs,
      cookieSecure: config.auth.cookieSecure,
      publicUrl: config.auth.publicUrl,
      trustedProxies: config.auth.trustedProxies,
    },
    smtpUrl: config.auth.smtpUrl,
    dataDir: config.dataDir,
    mailFrom: config.auth.mailFrom,
    metricsToken: config.metricsToken,
    bodyLimitBytes: config.http.bodyLimitBytes,
    warningsPerMinute: CONTENT_WARNINGS_PER_MINUTE,
  })
  const app = createApp(deps)
  const stopCleanup = startCleanupJob(database.db, deps.auth.sessions, logger)
  // Demo accounts (a known password) only ever for the demo set this start just wrote: a database
  // campus did not seed never gets them. A restart lists the ones that exist. Not awaited before
  // listening: hashing the demo passwords is a few scrypt calls of CPU.
  const demoAccounts = seededNow
    ? seedDemoAccounts(database.db).then(async (accounts) => {
        await enrollDemoAccounts(database.db, accounts)
        return accounts
      })
    : existingDemoAccounts(database.db)
  demoAccounts
    .then((accounts) => {
      console.log(
        accounts.length > 0
          ? describeDemoAccounts(accounts).trimEnd()
          : 'campus: no demo accounts (only a database this start seeds gets them)',
      )
    })
    .catch((error: Error) =>
      console.warn(`campus: warning: demo accounts not created: ${error.message}`),
    )
  const { server, port } = await listen(app, {
    port: config.port,
    hostname: config.host,
    limits: config.http,
  })
  console.log(`campus: listening on http://${config.host}:${port}`)
  // After listening and not awaited: /health answers at once, and a slow database or a Redis
  // that is down only makes the first dashboards cold (the warmer logs and never throws).
  void startDashboardWarmup({ satchel, db: database.db }, logger)

  const shutdown = (signal: string): void => {
    console.log(`campus: ${signal} received, shutting down`)
    server.close()
    stopCleanup()
    void Promise.allSettled([satchel.close(), database.close()])
      .then(() => embedded?.stop())
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

/**
 * Writes the demo set into an empty database. Two processes starting together on one empty
 * server both try; the write is one transaction, so the loser's fails whole and it goes on
 * with the winner's rows. A shared Redis may still hold a previous database's content, so it
 * is cleared once the rows are in.
 */
async function seedDemoSet(database: DatabaseHandle, satchel: Satchel): Promise<void> {
  const started = performance.now()
  try {
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
  } catch (error) {
    if (await isDatabaseEmpty(database.db)) throw error
    console.log('campus: another process seeded the database first; using its rows')
    return
  }
  await satchel.cache.clear()
  console.log(
    `campus: seeded the small demo set in ${Math.round(performance.now() - started)} ms (campus seed --scale large for the benchmark set)`,
  )
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message)
  else console.error('campus: failed to start', error)
  process.exit(1)
})
