/**
 * The fast path of registration caps: satchel counters of registrations per dispatch and per
 * tenant, read before a launch opens its transaction so that a full dispatch is refused without
 * a write. The database is the authority twice over: a counter's value is recounted from the
 * `registration_count` columns on a miss, and the launch transaction's conditional update of
 * those columns is the guard that holds the cap whatever the counter says (`launch.ts`). When
 * Redis is down every read is the database's count.
 *
 * @module
 */
import { eq } from 'drizzle-orm'
import type { Counter, Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import { scormDispatches, scormTenants } from '../db/schema.js'

/**
 * How long after a recount an increment may still race it. A launch that raced a recount leaves
 * the cached count off by that launch until the first `get` after this window, which recounts.
 */
export const CAP_COUNTER_SETTLE_MS = 2000

/** The two counters. Ids are row ids (uuids, unique across organisations). */
export interface CapCounters {
  readonly dispatches: Counter
  readonly tenants: Counter
}

/** Builds the counters over `satchel` and their database recounts. */
export function createCapCounters(satchel: Satchel, db: Database): CapCounters {
  return {
    dispatches: satchel.counter({
      name: 'scorm-dispatch-registrations',
      count: async (dispatchId) => {
        const [row] = await db
          .select({ n: scormDispatches.registrationCount })
          .from(scormDispatches)
          .where(eq(scormDispatches.id, dispatchId))
        return row?.n ?? 0
      },
      ttl: '1h',
      settle: CAP_COUNTER_SETTLE_MS,
    }),
    tenants: satchel.counter({
      name: 'scorm-tenant-registrations',
      count: async (tenantId) => {
        const [row] = await db
          .select({ n: scormTenants.registrationCount })
          .from(scormTenants)
          .where(eq(scormTenants.id, tenantId))
        return row?.n ?? 0
      },
      ttl: '1h',
      settle: CAP_COUNTER_SETTLE_MS,
    }),
  }
}
