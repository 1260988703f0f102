import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { type RedisServer, startRedis } from 'satchel/testing'

/** Finds an executable on PATH, the way a shell would. */
export function findOnPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, binary)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; keep looking
    }
  }
  return undefined
}

/**
 * Starts a private redis-server for a zero-configuration run, when one is installed. It lives
 * and dies with this process (satchel/testing kills it on exit) and keeps nothing on disk:
 * Redis is a cache here, PostgreSQL is the source of truth.
 */
export async function startEmbeddedRedis(): Promise<RedisServer | undefined> {
  const binary = findOnPath('redis-server')
  if (!binary) return undefined
  return startRedis({ binary })
}
