import { createSatchel } from '../src/index.js'
import { startRedis } from '../src/testing/index.js'
import { machine, r1 } from './harness.js'

/**
 * How long a caller waits when Redis hangs (SIGSTOP): the figures the failure-policy tests only
 * bound loosely (a loaded test machine makes tight bounds flaky). Against a paused private
 * redis-server, sequential calls, each decided by its own deadline:
 *
 * - rate limiter, `failurePolicy: 'open'`, deadline `commandMs` (50 ms), and its own shorter
 *   `timeoutMs` (20 ms);
 * - idempotency `begin` with `onStoreDown: 'proceed'` (deadline `commandMs`);
 * - session index `get` falling back to its loader (an in-memory one, so only Redis's share is
 *   measured).
 *
 * Reported per case: p50, p99 and max of the wait, and p99 minus the deadline (the overshoot the
 * contract promises to keep to a few ms on an idle machine). The breaker threshold is raised so
 * every call pays its own timeout instead of being short-circuited.
 */
export async function failureBench(options: { quick: boolean }): Promise<object> {
  const COMMAND_MS = 50
  const calls = options.quick ? 20 : 100
  const server = await startRedis()
  const satchel = createSatchel({
    redis: server.url,
    prefix: 'bench-failure',
    timeouts: { commandMs: COMMAND_MS },
    breaker: { failureThreshold: 1_000_000 },
  })
  await satchel.connect()
  const open = satchel.rateLimiter({ name: 'open', limit: 10, window: '1m' })
  const fast = satchel.rateLimiter({ name: 'fast', limit: 10, window: '1m', timeoutMs: 20 })
  const idem = satchel.idempotency({ onStoreDown: 'proceed' })
  const sessions = satchel.sessionIndex({
    load: async () => ({ userId: 'u', expiresAt: Date.now() + 60_000 }),
    expiresAt: (s: { expiresAt: number }) => s.expiresAt,
    userId: (s: { userId: string }) => s.userId,
  })
  const cases: { name: string; deadlineMs: number; op: (i: number) => Promise<unknown> }[] = [
    {
      name: 'ratelimit open (commandMs 50)',
      deadlineMs: COMMAND_MS,
      op: (i) => open.limit(`u${i}`),
    },
    { name: 'ratelimit open (timeoutMs 20)', deadlineMs: 20, op: (i) => fast.limit(`u${i}`) },
    {
      name: 'idempotency begin (proceed)',
      deadlineMs: COMMAND_MS,
      op: (i) =>
        idem.begin({
          key: `k${i}`,
          endpoint: 'POST /x',
          orgId: 'o',
          principal: 'p',
          fingerprint: 'f',
        }),
    },
    {
      name: 'session get (loader fallback)',
      deadlineMs: COMMAND_MS,
      op: (i) => sessions.get(`t${i}`),
    },
  ]
  // Warm: connection, scripts loaded.
  for (const c of cases) await c.op(-1)
  await server.pause()
  const rows: Record<string, unknown>[] = []
  try {
    for (const c of cases) {
      const waits: number[] = []
      for (let i = 0; i < calls; i++) {
        const start = performance.now()
        await c.op(i)
        waits.push(performance.now() - start)
      }
      waits.sort((a, b) => a - b)
      const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!
      rows.push({
        case: c.name,
        deadlineMs: c.deadlineMs,
        p50Ms: r1(at(0.5)),
        p99Ms: r1(at(0.99)),
        maxMs: r1(waits[waits.length - 1]!),
        p99OverDeadlineMs: r1(at(0.99) - c.deadlineMs),
      })
    }
  } finally {
    await server.resume()
    await satchel.close({ deadlineMs: 100 })
    await server.stop()
  }
  console.table(rows)
  return { machine: machine(), calls, rows }
}
