import { Redis } from 'ioredis'
import type { Logger } from '../src/core/logger.js'
import type { Satchel } from '../src/index.js'

/** A logger that keeps what it is given, so tests can count lines. */
export function memoryLogger(): Logger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = []
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/**
 * What a latency assertion allows on top of the bound under test. On a loaded 2-core machine a
 * 50 ms timer can fire tens of ms late, so a test only proves that a call is decided by its own
 * timeout and never waits for Redis, a reconnect or `connectMs`; the real figures (p50/p99 of a
 * decision against a paused server) come from `npm run bench -w satchel -- failure`.
 */
export const LOADED_MACHINE_SLACK_MS = 400

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 5,
): Promise<number> {
  const start = performance.now()
  for (;;) {
    if (await predicate()) return performance.now() - start
    if (performance.now() - start > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Milliseconds a promise takes to settle, and how it settled. */
export async function timed<T>(
  promise: Promise<T>,
): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now()
  try {
    const value = await promise
    return { ms: performance.now() - start, value }
  } catch (error) {
    return { ms: performance.now() - start, error }
  }
}

/**
 * A key (built from `org`'s key builder) whose slot the given Cluster master serves, found by
 * asking the servers themselves (CLUSTER SLOTS, CLUSTER KEYSLOT) rather than re-implementing CRC16.
 */
export async function keyServedBy(
  satchel: Satchel,
  master: { host: string; port: number },
  org: string,
): Promise<string> {
  const admin = new Redis({ host: master.host, port: master.port })
  const ranges = await admin.cluster('SLOTS').finally(() => admin.disconnect())
  const owned = ranges.filter(([, , primary]) => primary?.[1] === master.port)
  for (let i = 0; i < 10_000; i++) {
    const candidate = satchel.keys.org(org).key('k', i)
    const slot = await satchel.redis.exec('keyslot', (r) => r.cluster('KEYSLOT', candidate))
    if (owned.some(([from, to]) => slot >= from && slot <= to)) return candidate
  }
  throw new Error(`no key found on ${master.host}:${master.port}`)
}

/**
 * Resolves once the cache's bus has its first subscription. That subscription drops L1 (entries
 * cached before it may have missed invalidations), so a test that counts L1 hits or relies on L1
 * after Redis dies caches its values after this.
 */
export async function cacheBusReady(satchel: Satchel, timeoutMs = 3000): Promise<void> {
  void satchel.cache
  await waitFor(() => {
    const bus = satchel.stats().cache.bus as { subscribed?: boolean } | null
    return bus === null || bus.subscribed === true
  }, timeoutMs)
}
