import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Logger } from '../src/core/logger.js'
import type { Satchel } from '../src/index.js'
import { type RedisServer, type RedisServerOptions, startRedis } from '../src/testing/index.js'

/**
 * Resolves after `ms`. For pacing a scenario (letting a lease or a window run out), never for
 * waiting on an outcome: wait for the outcome itself with {@link waitFor} or an event.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * The Redis fixture: one private redis-server for the enclosing `describe` (or file), started
 * before its first test and stopped after its last. The returned object is that server (its
 * members are read when used, so it can be declared at the top of the block). With
 * `heal: true`, a server a test paused is resumed and one it killed is restarted after each
 * test, so fault tests do not leak into the next one.
 *
 * @example
 * ```ts
 * const server = useRedis({ heal: true })
 * it('...', async () => { const s = createSatchel({ redis: server.url }); await server.pause() })
 * ```
 */
export function useRedis(options: RedisServerOptions & { heal?: boolean } = {}): RedisServer {
  const { heal, ...serverOptions } = options
  let current: RedisServer | undefined
  beforeAll(async () => {
    current = await startRedis(serverOptions)
  })
  if (heal) {
    afterEach(async () => {
      if (!current) return
      await current.resume()
      if (current.state === 'exited') await current.restart()
    })
  }
  afterAll(async () => {
    await current?.stop()
    current = undefined
  })
  return new Proxy({} as RedisServer, {
    get(_, property) {
      if (!current) throw new Error('useRedis: the server is only there inside tests and hooks')
      const value = Reflect.get(current, property, current)
      return typeof value === 'function' ? value.bind(current) : value
    },
  })
}

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

/**
 * `commandMs` for tests of behaviour rather than of the 50 ms contract: on a loaded machine a
 * 50 ms bound turns ordinary round trips into (correct) fallbacks, and the test then checks the
 * failure policy instead of what it is about. Fault tests keep the contract's 50 ms.
 */
export const FUNCTIONAL_COMMAND_MS = 2000

/** How long a test worker process may take to start (tsx compiles it) on a loaded machine. */
export const WORKER_READY_MS = 45_000

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
