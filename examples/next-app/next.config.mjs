import { fileURLToPath } from 'node:url'

/** @type {import('next').NextConfig} */
const config = {
  // Next's incremental cache through satchel (see cache-handler.mjs).
  cacheHandler: fileURLToPath(new URL('./cache-handler.mjs', import.meta.url)),
  // satchel's L1 is the in-process tier; Next's own memory cache would only duplicate it.
  cacheMaxMemorySize: 0,
  // One build serves several instances; each one's cache lives in satchel, not on local disk.
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  // satchel and ioredis run as installed (not bundled), so the route handlers and the cache
  // handler share one module instance, one connection and one bus subscription per process.
  serverExternalPackages: ['satchel', 'ioredis'],
}

export default config
