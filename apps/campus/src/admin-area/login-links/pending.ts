/**
 * The live count of pending login-link requests per organisation, the badge of the admin panel.
 *
 * The count is a satchel counter: PostgreSQL is the authority (`count` runs on a miss, after a
 * racing increment and on reconcile), Redis holds the value every campus instance reads, and
 * each decision adjusts it after its commit. When Redis is down or the `counters` flag is off,
 * every read is the database count.
 *
 * Live updates: while an admin panel listens (Server-Sent Events), one poller per organisation
 * per process reads the shared count every {@link POLL_MS} and tells each listener when it
 * changed, so a decision taken on any instance reaches every open panel; decisions taken in this
 * process notify at once. The poller also reconciles the count against the database every
 * {@link RECONCILE_MS}, correcting drift left by a process that died between a commit and its
 * adjustment (docs/operations.md, "counters").
 *
 * @module
 */
import { and, count, eq } from 'drizzle-orm'
import type { Counter, Satchel } from 'satchel'
import type { Database } from '../../db/client.js'
import { loginLinkRequests } from '../../db/schema.js'
import type { CampusLogger } from '../../logger.js'

/** How often a watched organisation's count is read (ms). */
export const POLL_MS = 1_000

/** How often a watched organisation's count is recounted in the database (ms). */
export const RECONCILE_MS = 60_000

/** A listener of one organisation's count. */
export type PendingListener = (pending: number) => void

/** The pending-request count and its live listeners. */
export interface PendingLoginLinks {
  readonly counter: Counter
  /** The count (cached, else the database's). */
  get(orgId: string): Promise<number>
  /** A request was created: adjust the count (after the commit) and tell listeners. */
  added(orgId: string): Promise<void>
  /** A request was decided: adjust the count (after the commit) and tell listeners. */
  removed(orgId: string): Promise<void>
  /**
   * Calls `listener` with the current count, then on every change, until the returned function
   * is called.
   */
  subscribe(orgId: string, listener: PendingListener): () => void
  /** Stops every poller (listeners are dropped). */
  close(): void
}

/** Counts pending requests of `orgId` in the database. */
export async function countPending(db: Database, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(loginLinkRequests)
    .where(and(eq(loginLinkRequests.orgSourcedId, orgId), eq(loginLinkRequests.status, 'pending')))
  return Number(row?.n ?? 0)
}

interface Watch {
  listeners: Set<PendingListener>
  last: number | undefined
  timer: NodeJS.Timeout | undefined
  lastReconcile: number
  polling: boolean
}

/** Builds the counter and its watchers. */
export function createPendingLoginLinks(
  satchel: Satchel,
  db: Database,
  logger: CampusLogger,
): PendingLoginLinks {
  const counter = satchel.counter({
    name: 'login-link-pending',
    count: (orgId) => countPending(db, orgId),
    // Bounds how long an uncorrected drift can live even where no panel is open.
    ttl: '10m',
    settle: '2s',
  })
  const watches = new Map<string, Watch>()

  function publish(watch: Watch, value: number): void {
    if (watch.last === value) return
    watch.last = value
    for (const listener of watch.listeners) {
      try {
        listener(value)
      } catch (error) {
        logger.warn({ err: error }, 'pending-count listener failed')
      }
    }
  }

  async function poll(orgId: string, watch: Watch): Promise<void> {
    if (watch.polling) return
    watch.polling = true
    try {
      if (Date.now() - watch.lastReconcile >= RECONCILE_MS) {
        watch.lastReconcile = Date.now()
        const { after } = await counter.reconcile(orgId)
        publish(watch, after)
      } else {
        publish(watch, await counter.get(orgId))
      }
    } catch (error) {
      // The database count failed (the database is down): keep the last value, try again.
      logger.warn({ err: error, orgId }, 'pending login-link count unavailable')
    } finally {
      watch.polling = false
    }
  }

  async function changed(orgId: string): Promise<void> {
    const watch = watches.get(orgId)
    if (watch) await poll(orgId, watch)
  }

  return {
    counter,
    get: (orgId) => counter.get(orgId),
    async added(orgId) {
      await counter.incr(orgId)
      await changed(orgId)
    },
    async removed(orgId) {
      await counter.decr(orgId)
      await changed(orgId)
    },
    subscribe(orgId, listener) {
      let watch = watches.get(orgId)
      if (!watch) {
        const created: Watch = {
          listeners: new Set(),
          last: undefined,
          timer: undefined,
          lastReconcile: Date.now(),
          polling: false,
        }
        created.timer = setInterval(() => void poll(orgId, created), POLL_MS)
        created.timer.unref()
        watches.set(orgId, created)
        watch = created
      }
      const current = watch
      current.listeners.add(listener)
      if (current.last === undefined) void poll(orgId, current)
      else listener(current.last)
      return () => {
        current.listeners.delete(listener)
        if (current.listeners.size === 0) {
          clearInterval(current.timer)
          watches.delete(orgId)
        }
      }
    },
    close() {
      for (const watch of watches.values()) clearInterval(watch.timer)
      watches.clear()
    },
  }
}
