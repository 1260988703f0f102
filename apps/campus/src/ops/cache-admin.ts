/**
 * Cache administration for operators, behind the admin token:
 *
 * - `GET /api/admin/cache/stats`: `{ enabled, healthy, info: { raw_stats, raw_keyspace }, stats }`
 *   (the seed's shape, plus satchel's counters);
 * - `POST /api/admin/cache/clear`: `{}` clears the whole cache; `{ "pattern": "family:part:*" }`
 *   clears one key family (in every organisation, or `orgId`'s); see {@link clearPatterns};
 * - `GET|POST /api/admin/cache`: satchel's own handler (stats; clear by key, tag, namespace);
 * - `GET /api/v1/cache`: hit rates and latency as the seed's metrics endpoint reports them.
 *
 * Both clearing POSTs are rate-limited per caller (`cache-clear-limit.ts`).
 *
 * @module
 */
import { Hono } from 'hono'
import { type Satchel, SatchelError } from 'satchel'
import { cacheAdminHandler, problemResponse } from 'satchel/http'
import { z } from 'zod'
import { adminAuth } from '../admin/auth.js'
import { NO_STORE, problemFor } from '../admin/errors.js'
import { parseBody } from '../admin/schemas.js'
import { orgs } from '../db/schema.js'
import type { CampusDeps } from '../deps.js'
import { cacheClearLimit } from './cache-clear-limit.js'
import { cacheMetrics } from './cache-metrics.js'

const clearBody = z.strictObject({
  pattern: z.string().trim().min(1).max(512).optional(),
  orgId: z.string().trim().min(1).max(200).optional(),
})

/**
 * The SCAN patterns (and exact keys) a clear request names. `pattern` is key parts separated by
 * `:`, as in `oneroster-course-bundle:*`; a final `*` part means "and every key below". Each
 * part goes through satchel's key builder, which escapes it like the keys it builds, so glob
 * characters in the input are literal and the request cannot reach outside the cache families.
 */
export function clearPatterns(
  satchel: Satchel,
  pattern: string,
  orgIds: readonly string[],
  includeGlobal: boolean,
): { patterns: string[]; keys: string[] } {
  const parts = pattern.split(':')
  const below = parts.at(-1) === '*'
  if (below) parts.pop()
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new ClearInputError('pattern', 'name at least one key part, as "family:*"')
  }
  const scopes = [
    ...(includeGlobal ? [satchel.keys.global] : []),
    ...orgIds.map((id) => satchel.keys.org(id)),
  ]
  if (below) return { patterns: scopes.map((s) => s.pattern(...parts)), keys: [] }
  return {
    patterns: [],
    keys: [
      ...(includeGlobal ? [satchel.keys.global(...parts)] : []),
      ...orgIds.map((id) => satchel.keys.org(id).key(...parts)),
    ],
  }
}

/** A clear request that names nothing clearable. */
export class ClearInputError extends Error {
  readonly code = 'E_VALIDATION'
  readonly field: string
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`)
    this.field = field
  }
}

function unavailable(detail = 'Redis is unavailable; retry later.'): Response {
  return problemResponse(
    { title: 'Service Unavailable', status: 503, detail },
    { ...NO_STORE, 'retry-after': '1' },
  )
}

/**
 * Whether Redis answers a bounded PING (true when satchel runs memory-only). The clear asks
 * before and after: satchel's deletes fail open (a page read must never fail because Redis
 * did), so without it an operator clearing during an outage would be told the keys are gone.
 */
export async function redisAnswers(satchel: Satchel): Promise<boolean> {
  if (!satchel.redis.enabled) return true
  try {
    await satchel.redis.exec('campus.cache-clear', (r) => r.ping())
    return true
  } catch {
    return false
  }
}

const CLEAR_INTERRUPTED =
  'Redis stopped answering during the clear, so some keys may remain; retry it.'

/** How long the stats endpoint waits for `INFO`: a diagnostic, not a hot path. */
const INFO_TIMEOUT_MS = 1_000

/**
 * Raw `INFO <section>` text, or null when Redis is off or not answering. Sent on the raw client:
 * satchel's command bound (tens of milliseconds) is sized for page reads, and an operator
 * asking for stats under load should get them if Redis answers within a second.
 */
async function info(satchel: Satchel, section: string): Promise<string | null> {
  const client = satchel.redis.client
  if (!client || satchel.redis.closed) return null
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      client.info(section),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), INFO_TIMEOUT_MS)
      }),
    ])
  } catch {
    return null
  } finally {
    clearTimeout(timer)
  }
}

/** The cache administration routes. */
export function cacheAdminRoutes(deps: CampusDeps): Hono {
  const { satchel } = deps
  const app = new Hono()
  const auth = adminAuth(deps.adminToken, deps.adminThrottle)
  app.use('/api/admin/cache', auth)
  app.use('/api/admin/cache/*', auth)
  app.use('/api/v1/cache', auth)
  const clearLimit = cacheClearLimit(deps.adminArea.cacheClearLimiter)
  app.use('/api/admin/cache', clearLimit)
  app.use('/api/admin/cache/clear', clearLimit)

  app.get('/api/admin/cache/stats', async (c) => {
    const [health, rawStats, rawKeyspace] = await Promise.all([
      satchel.health(),
      info(satchel, 'stats'),
      info(satchel, 'keyspace'),
    ])
    return c.json(
      {
        enabled: satchel.flags.enabled('cache'),
        healthy: health.status === 'healthy',
        info: { raw_stats: rawStats, raw_keyspace: rawKeyspace },
        stats: satchel.stats(),
      },
      200,
      NO_STORE,
    )
  })

  app.post('/api/admin/cache/clear', async (c) => {
    try {
      const text = await c.req.text()
      let json: unknown = {}
      if (text.trim() !== '') {
        try {
          json = JSON.parse(text)
        } catch {
          throw new ClearInputError('body', 'is not valid JSON')
        }
      }
      const body = parseBody(clearBody, json)
      if (body.pattern === undefined && body.orgId !== undefined) {
        throw new ClearInputError('pattern', 'is required with orgId')
      }
      if (!(await redisAnswers(satchel))) return unavailable()
      if (body.pattern === undefined) {
        const removed = await satchel.cache.clear()
        if (!(await redisAnswers(satchel))) return unavailable(CLEAR_INTERRUPTED)
        deps.logger.info({ removed }, 'cache cleared by admin')
        return c.json({ cleared: { by: 'all', removed } }, 200, NO_STORE)
      }
      const orgIds =
        body.orgId !== undefined
          ? [body.orgId]
          : (await deps.database.db.select({ id: orgs.sourcedId }).from(orgs)).map((o) => o.id)
      const { patterns, keys } = clearPatterns(
        satchel,
        body.pattern,
        orgIds,
        body.orgId === undefined,
      )
      let removed = keys.length > 0 ? await satchel.cache.del(...keys) : 0
      for (const p of patterns) removed += await satchel.cache.delPattern(p)
      if (!(await redisAnswers(satchel))) return unavailable(CLEAR_INTERRUPTED)
      deps.logger.info({ pattern: body.pattern, patterns, keys, removed }, 'cache cleared by admin')
      return c.json({ cleared: { by: 'pattern', patterns, keys, removed } }, 200, NO_STORE)
    } catch (error) {
      if (error instanceof ClearInputError) {
        return problemResponse(
          { title: 'Bad Request', status: 400, detail: error.message, field: error.field },
          NO_STORE,
        )
      }
      if (error instanceof SatchelError && error.code === 'E_REDIS_UNAVAILABLE') {
        return unavailable()
      }
      return problemFor(error, deps.logger)
    }
  })

  // The token was checked by the middleware above; satchel's handler still refuses to run
  // without an authorize callback, so it gets one that agrees.
  const native = cacheAdminHandler(satchel, { authorize: () => true })
  app.on(['GET', 'POST'], '/api/admin/cache', async (c) => {
    const res = await native(c.req.raw)
    res.headers.set('cache-control', 'no-store')
    return res
  })

  app.get('/api/v1/cache', async (c) =>
    c.json({ success: true, data: await cacheMetrics(deps) }, 200, NO_STORE),
  )
  return app
}
