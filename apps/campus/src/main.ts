import { serve } from '@hono/node-server'
import { createSatchel } from 'satchel'
import { createApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { startEmbeddedRedis } from './redis/embedded.js'

async function main(): Promise<void> {
  const config = loadConfig()
  let redisUrl = config.redisUrl
  if (!redisUrl) {
    const embedded = await startEmbeddedRedis()
    if (embedded) {
      redisUrl = embedded.url
      console.log(`campus: started a private redis-server at ${embedded.url}`)
    } else {
      console.warn(
        'campus: warning: REDIS_URL is not set and no redis-server is on PATH; running memory-only (no shared cache, limits or locks across processes).',
      )
    }
  }
  const satchel = createSatchel({
    redis: redisUrl,
    prefix: 'campus',
    tls: config.redisTls || undefined,
    flags: config.satchelFlags,
  })
  if (redisUrl) {
    await satchel.connect().catch((error: Error) => {
      console.warn(
        `campus: warning: Redis unavailable at start (${error.message}); serving degraded`,
      )
    })
  }
  const app = createApp({ satchel })
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`campus: listening on http://${config.host}:${info.port}`)
  })

  const shutdown = (signal: string): void => {
    console.log(`campus: ${signal} received, shutting down`)
    server.close()
    void satchel.close().finally(() => process.exit(0))
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message)
  else console.error('campus: failed to start', error)
  process.exit(1)
})
