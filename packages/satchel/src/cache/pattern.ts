/**
 * Pattern deletion: SCAN MATCH + UNLINK in batches on every master, never KEYS; and the same
 * glob evaluated in process to evict matching L1 entries.
 *
 * `pattern` is a Redis glob over full keys (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes). Build it
 * from user input only through `escapeGlob` (exported from satchel), or a user could widen
 * `report:${input}*` to every key with `input = '*'`.
 *
 * @module
 */

import type { Redis } from 'ioredis'
import { isClusterClient, type RedisClient } from '../core/client-factory.js'
import type { RedisGateway } from '../core/redis-gateway.js'
import { slotOf as calculateSlot } from './slot.js'

/** Keys asked for per SCAN call: large enough to finish 10k keys in tens of calls, small enough
 * that one call stays well under a millisecond of server time. */
export const SCAN_COUNT = 1000

/**
 * Compiles a Redis glob (the `stringmatchlen` dialect SCAN MATCH uses) to a RegExp.
 *
 * Hand-written because no maintained package implements Redis's dialect: minimatch and
 * picomatch treat `/` as a separator and brace/extglob syntax as special, which Redis does not.
 * Unterminated `[` classes run to the end of the pattern, as they do in Redis.
 *
 * @example globToRegExp('a:\\*:[0-9]*').test('a:*:7x') // true
 */
export function globToRegExp(glob: string): RegExp {
  let out = '^'
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') out += '[\\s\\S]*'
    else if (c === '?') out += '[\\s\\S]'
    else if (c === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i]!)
    else if (c === '[') {
      let j = i + 1
      let negate = false
      if (glob[j] === '^') {
        negate = true
        j++
      }
      let cls = ''
      for (; j < glob.length && glob[j] !== ']'; j++) {
        const d = glob[j]!
        if (d === '\\' && j + 1 < glob.length) cls += escapeClass(glob[++j]!)
        else if (glob[j + 1] === '-' && j + 2 < glob.length && glob[j + 2] !== ']') {
          // Redis accepts reversed ranges (`[z-a]`); a RegExp does not, so order them.
          const a = d
          const b = glob[j + 2]!
          cls +=
            a <= b ? `${escapeClass(a)}-${escapeClass(b)}` : `${escapeClass(b)}-${escapeClass(a)}`
          j += 2
        } else cls += escapeClass(d)
      }
      out += cls === '' ? (negate ? '[\\s\\S]' : '(?!)') : `[${negate ? '^' : ''}${cls}]`
      i = j
    } else out += escapeRegExp(c)
  }
  return new RegExp(`${out}$`)
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c
}

function escapeClass(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c
}

/** The nodes a SCAN must visit: every master of a Cluster, or the one server. */
export function scanTargets(client: RedisClient): Redis[] {
  return isClusterClient(client) ? client.nodes('master') : [client]
}

/**
 * Deletes every key matching `pattern` on every master, one bounded SCAN and one bounded UNLINK
 * round per batch. `onBatch` sees each batch's keys (for L1 eviction and the bus).
 * Stops early (returning what it removed) when Redis fails; never throws a Redis error.
 */
export async function scanAndUnlink(
  gateway: RedisGateway,
  pattern: string,
  onBatch: (keys: string[]) => void,
  onError: () => void,
): Promise<number> {
  const client = gateway.client
  if (client === undefined) return 0
  const cluster = isClusterClient(client)
  if (cluster) {
    // The master list is empty until the lazy Cluster client has connected; scanning it then
    // would delete nothing and report success.
    try {
      await gateway.connection?.ready()
    } catch {
      onError()
      return 0
    }
  }
  const targets = scanTargets(client)
  if (targets.length === 0) {
    onError()
    return 0
  }
  const perNode = await Promise.all(
    targets.map(async (node) => {
      let removed = 0
      let cursor = '0'
      try {
        do {
          const [next, keys] = await gateway.exec('cache.scan', () =>
            node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT),
          )
          cursor = next
          if (keys.length === 0) continue
          removed += await gateway.exec('cache.unlink', (r) => unlinkAll(r, keys, cluster))
          onBatch(keys)
        } while (cursor !== '0')
      } catch {
        onError()
      }
      return removed
    }),
  )
  return perNode.reduce((a, b) => a + b, 0)
}

/**
 * UNLINKs keys: one command on a single server; on a Cluster one command per slot (a multi-key
 * command must stay within one slot), sent together so the batch costs one round trip.
 */
export async function unlinkAll(
  client: RedisClient,
  keys: readonly string[],
  cluster: boolean,
): Promise<number> {
  if (keys.length === 0) return 0
  if (!cluster) return client.unlink(...keys)
  const counts = await Promise.all(
    [...groupBySlot(keys).values()].map((group) => client.unlink(...group)),
  )
  return counts.reduce((a, b) => a + b, 0)
}

/** Groups keys by Cluster slot, keeping each key's position for callers that need it. */
export function groupBySlot(keys: readonly string[]): Map<number, string[]> {
  const groups = new Map<number, string[]>()
  for (const key of keys) {
    const slot = calculateSlot(key)
    const group = groups.get(slot)
    if (group === undefined) groups.set(slot, [key])
    else group.push(key)
  }
  return groups
}
