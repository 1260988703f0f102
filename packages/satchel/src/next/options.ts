/**
 * Options of satchel/next's handlers, resolved in one place.
 *
 * @module
 */
import { type Duration, parseDuration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import type { RedisInput } from '../core/options.js'
import { createSatchel, type Satchel } from '../satchel.js'

/** Options of {@link createCacheHandler} and {@link createUseCacheHandler}. */
export interface NextCacheOptions {
  /**
   * The satchel to store entries through. When omitted, one is created per process from
   * `redis`, `prefix` and `timeouts` (see {@link sharedSatchel}), so every handler instance
   * Next constructs shares one L1, one connection and one bus subscription.
   */
  satchel?: Satchel
  /** Redis for the satchel created when `satchel` is omitted. @default process.env.REDIS_URL */
  redis?: RedisInput
  /** Key prefix of that satchel. @default 'next' */
  prefix?: string
  /** Redis time limits of that satchel. @default { connectMs: 1000, commandMs: 50 } */
  timeouts?: { connectMs?: Duration; commandMs?: Duration }
  /** Logger of that satchel. @default silent */
  logger?: Logger
  /**
   * The cache namespace of Next's entries (`<prefix>:ns:<namespace>:<key>`); tags are mapped to
   * `<namespace>:<tag>` so several apps can share one satchel prefix without sharing tags.
   * @default 'next'
   */
  namespace?: string
  /**
   * Longest an entry is kept. Next's own lifetimes (a page's `expire`, twice a `fetch`'s
   * `revalidate`) apply when shorter; this caps entries Next would keep for a year, so memory
   * stays bounded by what was used recently. @default '7d'
   */
  maxTtl?: Duration
}

/** {@link NextCacheOptions} with defaults applied and durations in ms. */
export interface ResolvedNextCacheOptions {
  satchel: () => Satchel
  namespace: string
  maxTtlMs: number
}

const REGISTRY = Symbol.for('satchel.next.satchels')

type Registry = Map<string, Satchel>

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry }
  holder[REGISTRY] ??= new Map()
  return holder[REGISTRY]
}

/**
 * The process-wide satchel for these options, created on first use. Next constructs a cache
 * handler per request and may load the handler module and the app's server code as separate
 * module copies; keying one instance on `globalThis` by Redis URL and prefix gives all of them
 * one L1, one connection and one bus subscription. Only string (URL) or absent `redis` inputs
 * are shared this way; pass `satchel` to share anything else.
 *
 * @example
 * ```ts
 * // app/api/stats/route.ts: the same satchel the cache handler uses
 * import { sharedSatchel } from 'satchel/next'
 * export const GET = () => Response.json(sharedSatchel({ prefix: 'shop' }).stats())
 * ```
 */
export function sharedSatchel(
  options: Omit<NextCacheOptions, 'satchel' | 'namespace'> = {},
): Satchel {
  const redis = options.redis ?? process.env.REDIS_URL
  if (redis !== undefined && typeof redis !== 'string') {
    throw new InvalidOptionError('redis', 'sharedSatchel takes a URL; pass `satchel` instead')
  }
  const prefix = options.prefix ?? 'next'
  const key = `${redis ?? ''}|${prefix}`
  const known = registry().get(key)
  if (known !== undefined) return known
  const satchel = createSatchel({
    redis,
    prefix,
    timeouts: { connectMs: 1000, commandMs: 50, ...options.timeouts },
    ...(options.logger ? { logger: options.logger } : {}),
  })
  registry().set(key, satchel)
  return satchel
}

/** Closes and forgets every satchel {@link sharedSatchel} created (tests, graceful shutdown). */
export async function closeSharedSatchels(): Promise<void> {
  const all = [...registry().values()]
  registry().clear()
  await Promise.all(all.map((s) => s.close()))
}

/** Applies defaults; the satchel itself is created lazily, on the first cache call. */
export function resolveNextCacheOptions(options: NextCacheOptions = {}): ResolvedNextCacheOptions {
  const namespace = options.namespace ?? 'next'
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new InvalidOptionError('namespace', 'expected a non-empty string')
  }
  const maxTtlMs = parseDuration(options.maxTtl ?? '7d', 'maxTtl')
  if (maxTtlMs < 1000) throw new InvalidOptionError('maxTtl', 'expected at least one second')
  const given = options.satchel
  let created: Satchel | undefined
  const satchel = (): Satchel => {
    if (given !== undefined) return given
    created ??= sharedSatchel(options)
    return created
  }
  return { satchel, namespace, maxTtlMs }
}
