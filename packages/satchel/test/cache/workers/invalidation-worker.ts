/**
 * A process using `satchel.cache` through its public API, for the cross-process invalidation
 * tests: it starts loads whose factory waits for the test's word, and invalidates on command.
 * Without a bus (`BUS=off`) nothing but Redis tells it about other processes' changes.
 *
 * Env: `REDIS_URL`, or `REDIS_NODES` (JSON startup nodes of a Cluster); `PREFIX`; `BUS`.
 */
import { createSatchel } from '../../../src/index.js'
import { serveCommands } from '../../../src/testing/index.js'

const nodes = process.env.REDIS_NODES
const satchel = createSatchel({
  redis: nodes ? { cluster: { nodes: JSON.parse(nodes) } } : process.env.REDIS_URL,
  prefix: process.env.PREFIX ?? 'inv',
  timeouts: { commandMs: 2000, connectMs: 2000 },
  breaker: { failureThreshold: 1000 },
  cache: { bus: process.env.BUS !== 'off' },
})
const cache = satchel.cache

interface Gate {
  open: (value: unknown) => void
  result: Promise<unknown>
}
const gates = new Map<string, Gate>()

interface LoadArgs {
  key: string
  value: unknown
  tags?: string[]
}

serveCommands({
  ready: () => satchel.connect(),

  /** Starts a `getOrSet` whose factory returns `value` on `finishLoad`; resolves once it runs. */
  startLoad: async ({ key, value, tags }: LoadArgs) => {
    let open: (v: unknown) => void = () => {}
    const gate = new Promise<unknown>((resolve) => {
      open = resolve
    })
    await new Promise<void>((started) => {
      const result = cache
        .getOrSet(
          key,
          () => {
            started()
            return gate
          },
          tags ? { tags } : undefined,
        )
        .catch((error: unknown) => `error: ${String(error)}`)
      gates.set(key, { open: () => open(value), result })
    })
  },

  /** Lets the factory of `startLoad` return; answers what that `getOrSet` returned. */
  finishLoad: ({ key }: { key: string }) => {
    const gate = gates.get(key)
    if (!gate) throw new Error(`no load of ${key}`)
    gates.delete(key)
    gate.open(undefined)
    return gate.result
  },

  getOrSet: ({ key, value, tags }: LoadArgs) =>
    cache.getOrSet(key, () => value, tags ? { tags } : undefined),
  get: ({ key }: { key: string }) => cache.get(key),
  mget: ({ keys }: { keys: string[] }) => cache.mget(keys),
  set: ({ key, value }: { key: string; value: unknown }) => cache.set(key, value),
  del: ({ key }: { key: string }) => cache.del(key),
  invalidateTags: ({ tags }: { tags: string[] }) => cache.invalidateTags(tags),
  delPattern: ({ pattern }: { pattern: string }) => cache.delPattern(pattern),
  clear: () => cache.clear(),
  /**
   * Misses on fresh keys until untagged `getOrSet` reads with READ_OR_LOCK (misses dominate);
   * answers the mode.
   */
  preferReadOrLock: async () => {
    const warm = `${process.env.PREFIX ?? 'inv'}:o:warm:${process.pid}:${Date.now()}`
    for (let i = 0; i < 64 && satchel.stats().cache.firstRead?.mode !== 'read-or-lock'; i++) {
      await cache.getOrSet(`${warm}:${i}`, () => i, { l1: false })
    }
    return satchel.stats().cache.firstRead?.mode
  },
  firstReadMode: () => satchel.stats().cache.firstRead?.mode,
  /** Callers that waited for another process's load so far. */
  lockWaits: () => cache.stats().lockWaits,
  close: () => satchel.close(),
})
