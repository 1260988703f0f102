import { sharedSatchel } from 'satchel/next'
import { satchelOptions } from '@/lib/satchel-options.mjs'

export const dynamic = 'force-dynamic'

/** The cache handler's satchel: tiers, bus and breaker, for operators (and the tests). */
export function GET(): Response {
  const stats = sharedSatchel(satchelOptions).stats()
  return Response.json({
    hits: stats.hits,
    l1: stats.l1,
    l2: { hits: stats.l2.hits },
    bus: stats.cache.bus,
    breaker: stats.breaker,
  })
}
