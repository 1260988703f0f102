/**
 * The Redis tier: envelope reads and writes through the gateway (bounded, breaker-guarded).
 * Nothing here throws a Redis error: failures come back as {@link L2_DOWN} and are counted in
 * the namespace's `redisErrors`; an error reply (WRONGTYPE: something else owns the key) or an
 * undecodable payload is a miss, and the next write overwrites it.
 *
 * @module
 */

import type { Cluster } from 'ioredis'
import { isClusterClient } from '../core/client-factory.js'
import type { Codec } from '../core/codec.js'
import { RedisCommandError } from '../core/errors.js'
import type { SatchelEvents } from '../core/events.js'
import { LatencyHistogram } from '../core/histogram.js'
import type { RedisGateway } from '../core/redis-gateway.js'
import { evalScript } from '../core/scripts.js'
import { TurnBatcher } from './batch.js'
import { decodeEnvelope, type Entry } from './entry.js'
import { groupBySlot, unlinkAll } from './pattern.js'
import { COMPARE_AND_SET } from './scripts.js'
import { isLoadMarker } from './stampede-lock.js'
import type { NamespaceCounters } from './stats.js'
import type { TagStamps } from './tags.js'

/** Redis could not answer (down, hung, breaker open, memory-only). */
export const L2_DOWN: unique symbol = Symbol('l2-down')
/** What an L2 read returns: an entry, `null` for a miss, or {@link L2_DOWN}. */
export type L2Read = Entry | null | typeof L2_DOWN

/** One envelope to store. */
export interface L2Write {
  readonly key: string
  readonly buf: Buffer
  readonly pxMs: number
  /** Store only while the key still holds exactly this. */
  readonly guard?: Buffer | string
}

/** The Redis tier of one cache. */
export class L2 {
  readonly enabled: boolean
  readonly cluster: boolean
  /** Read latency over every namespace (each namespace also keeps its own). */
  readonly latency = new LatencyHistogram()
  #sequence = 0
  readonly #gets: TurnBatcher<string, Buffer | null>
  readonly #swaps: TurnBatcher<Required<L2Write>, number>

  readonly gateway: RedisGateway
  readonly codec: Codec
  readonly events: SatchelEvents

  constructor(
    deps: { gateway: RedisGateway; codec: Codec; events: SatchelEvents },
    readonly stamps: TagStamps,
    /** False when the `cache` flag is off: Redis is never touched. */
    enabled = true,
  ) {
    const { gateway } = deps
    this.gateway = gateway
    this.codec = deps.codec
    this.events = deps.events
    this.enabled = gateway.enabled && enabled
    this.cluster = gateway.client !== undefined && isClusterClient(gateway.client)
    this.#gets = new TurnBatcher(
      (keys) => this.gateway.exec('cache.get', (r) => r.mgetBuffer(...keys)),
      (key, onReply, onError) =>
        this.gateway.send('cache.get', (r) => r.getBuffer(key), onReply, onError),
    )
    this.#swaps = new TurnBatcher((items) => this.#sendSwaps(items))
  }

  /**
   * Reads one entry. With `tags`, the tags' stamps are read in the same round trip (both
   * commands written together), so the caller can validate without a second trip.
   */
  async read(
    key: string,
    tags: readonly string[] | undefined,
    c: NamespaceCounters,
  ): Promise<L2Read> {
    if (!this.enabled) return L2_DOWN
    const start = this.readStart()
    let buf: Buffer | null
    try {
      if (tags === undefined) {
        buf = await this.#get(key)
      } else {
        const stampsKey = this.stamps.key
        const [value, stamps] = await this.gateway.exec('cache.get', (r) =>
          Promise.all([r.getBuffer(key), r.hmget(stampsKey, ...tags)]),
        )
        this.stamps.learn(tags, stamps)
        buf = value
      }
    } catch (error) {
      return this.failed(error, c)
    }
    return this.received(key, buf, c, start)
  }

  /**
   * A read's start time when its latency is sampled, else -1. One read in four is sampled, as
   * the gateway does: percentiles stay accurate and three reads in four skip two clock reads.
   */
  readStart(): number {
    return (++this.#sequence & 3) === 0 ? performance.now() : -1
  }

  /**
   * The untagged read of {@link read}, answered through callbacks with the raw reply; finish
   * with {@link received} or {@link failed}. For the load path, which settles a promise of its
   * own from the reply: no promise or async frame in between. Only when {@link enabled}.
   */
  fetch(
    key: string,
    onBytes: (buf: Buffer | null) => void,
    onError: (error: unknown) => void,
  ): void {
    if (this.cluster) {
      this.gateway.exec('cache.get', (r) => r.getBuffer(key)).then(onBytes, onError)
    } else {
      this.#gets.push(key, onBytes, onError)
    }
  }

  /** What a read's reply holds (`start` from {@link readStart}). */
  received(key: string, buf: Buffer | null, c: NamespaceCounters, start: number): Entry | null {
    this.sampled(c, start)
    if (buf === null) return null
    return this.decode(key, buf, c)
  }

  /** Records a read's latency when its start was sampled (`start` from {@link readStart}). */
  sampled(c: NamespaceCounters, start: number): void {
    if (start < 0) return
    const ms = performance.now() - start
    c.l2Latency.record(ms)
    this.latency.record(ms)
  }

  /** What a failed read means: an error reply is a miss, anything else {@link L2_DOWN}. */
  failed(error: unknown, c: NamespaceCounters): null | typeof L2_DOWN {
    if (error instanceof RedisCommandError) return null
    c.redisErrors++
    return L2_DOWN
  }

  /**
   * One GET, coalesced with every other read issued in the same turn of the event loop into one
   * MGET (`batch.ts`). Hand written because ioredis's own autopipelining is off (see
   * client-factory.ts). On Cluster each read stays a GET: keys of one batch span slots.
   */
  #get(key: string): Promise<Buffer | null> {
    if (this.cluster) return this.gateway.exec('cache.get', (r) => r.getBuffer(key))
    return this.#gets.add(key)
  }

  /** The raw bytes under `key` (null when absent), for callers that must compare them later. */
  async readBytes(key: string, c: NamespaceCounters): Promise<Buffer | null | typeof L2_DOWN> {
    if (!this.enabled) return L2_DOWN
    try {
      return await this.#get(key)
    } catch (error) {
      return this.failed(error, c)
    }
  }

  /**
   * Decodes stored bytes into an entry: null for another loader's lock marker (a load in
   * progress, not a value) and for anything that is not an envelope (reported as malformed).
   */
  decode(key: string, buf: Buffer, c: NamespaceCounters): Entry | null {
    if (isLoadMarker(buf)) return null
    return this.#decode(key, buf, c)
  }

  #decode(key: string, buf: Buffer, c: NamespaceCounters): Entry | null {
    c.bytesRead += buf.length
    if (this.events.listening('cache:read')) {
      this.events.emit('cache:read', { key, bytes: buf.length })
    }
    const entry = decodeEnvelope(this.codec, buf)
    if (entry === undefined) {
      this.events.emit('value:malformed', {
        key,
        bytes: buf.length,
        error: new Error('not a satchel cache entry'),
      })
      return null
    }
    return entry
  }

  /** Reads the stamps of tags this process has not seen; false when Redis cannot answer. */
  async learnTags(tags: readonly string[], c: NamespaceCounters): Promise<boolean> {
    if (tags.length === 0) return true
    try {
      const replies = await this.gateway.exec('cache.tags', (r) =>
        r.hmget(this.stamps.key, ...tags),
      )
      this.stamps.learn(tags, replies)
      return true
    } catch {
      c.redisErrors++
      return false
    }
  }

  /**
   * Stores an encoded envelope with `PX`; with a `guard`, only while the key still holds those
   * bytes (a load's lock marker, or the entry a refresh replaces). Returns false when Redis could
   * not take it or the guard no longer held.
   */
  async write(item: L2Write, c: NamespaceCounters): Promise<boolean> {
    if (!this.enabled) return false
    const { key, buf, pxMs, guard } = item
    try {
      if (guard === undefined) {
        await this.gateway.exec('cache.set', (r) => r.set(key, buf, 'PX', pxMs))
      } else if ((await this.compareAndSet({ key, buf, pxMs, guard })) === false) {
        return false
      }
      c.bytesWritten += buf.length
      return true
    } catch (error) {
      if (!(error instanceof RedisCommandError)) c.redisErrors++
      return false
    }
  }

  /**
   * Stores `buf` only while the key holds exactly `guard`; coalesced with the other swaps of the
   * same turn into one script call on a single server. Rejects when Redis cannot answer.
   */
  async compareAndSet(item: Required<L2Write>): Promise<boolean> {
    const reply = this.cluster ? (await this.#sendSwaps([item]))[0] : await this.#swaps.add(item)
    return reply === 1
  }

  #sendSwaps(items: Required<L2Write>[]): Promise<number[]> {
    const keys = items.map((i) => i.key)
    const args: (Buffer | string | number)[] = []
    for (const i of items) args.push(i.guard, i.buf, i.pxMs)
    return this.gateway.exec(
      'cache.set',
      (r) => evalScript(r, COMPARE_AND_SET, keys, args) as Promise<number[]>,
    )
  }

  /**
   * Reads many keys in one round trip: one MGET on a single server; on a Cluster one MGET per
   * slot (a multi-key command must stay in one slot), sent as one pipeline per master.
   * Entries Redis could not answer for are {@link L2_DOWN}.
   */
  async readMany(keys: readonly string[], c: NamespaceCounters): Promise<L2Read[]> {
    const out: L2Read[] = keys.map(() => L2_DOWN)
    if (!this.enabled || keys.length === 0) return out
    const index = new Map<string, number[]>()
    keys.forEach((k, i) => {
      const at = index.get(k)
      if (at === undefined) index.set(k, [i])
      else at.push(i)
    })
    const unique = [...index.keys()]
    const start = performance.now()
    try {
      // Per node: the slot groups it serves, and their MGET replies.
      const batches = await this.gateway.exec('cache.mget', async (r) => {
        if (!isClusterClient(r))
          return [{ groups: [unique], replies: [await r.mgetBuffer(...unique)] }]
        return Promise.all(
          [...groupByNode(r, unique).values()].map(async (groups) => {
            const p = r.pipeline()
            for (const g of groups) p.mgetBuffer(...g)
            const results = (await p.exec()) ?? []
            return {
              groups,
              replies: results.map(([err, v]) => (err ? null : (v as (Buffer | null)[]))),
            }
          }),
        )
      })
      const ms = performance.now() - start
      c.l2Latency.record(ms)
      this.latency.record(ms)
      for (const { groups, replies } of batches) {
        groups.forEach((group, gi) => {
          const reply = replies[gi]
          if (reply === null || reply === undefined) return
          group.forEach((key, ki) => {
            const buf = reply[ki] ?? null
            const entry = buf === null ? null : this.decode(key, buf, c)
            for (const i of index.get(key)!) out[i] = entry
          })
        })
      }
    } catch (error) {
      if (!(error instanceof RedisCommandError)) c.redisErrors++
    }
    return out
  }

  /**
   * Writes many envelopes in one round trip: a pipeline of `SET PX`, one per master on a
   * Cluster (a pipeline must stay on one node).
   */
  async writeMany(
    items: readonly { key: string; buf: Buffer; pxMs: number }[],
    c: NamespaceCounters,
  ): Promise<boolean> {
    if (!this.enabled || items.length === 0) return false
    const byKey = new Map(items.map((i) => [i.key, i]))
    try {
      await this.gateway.exec('cache.mset', (r) => {
        const groups = isClusterClient(r)
          ? [...groupByNode(r, [...byKey.keys()]).values()].map((g) => g.flat())
          : [[...byKey.keys()]]
        return Promise.all(
          groups.map((group) => {
            const p = r.pipeline()
            for (const key of group) {
              const item = byKey.get(key)!
              p.set(item.key, item.buf, 'PX', item.pxMs)
            }
            return p.exec()
          }),
        )
      })
      for (const item of byKey.values()) c.bytesWritten += item.buf.length
      return true
    } catch {
      c.redisErrors++
      return false
    }
  }

  /** UNLINKs keys; the number that existed, or -1 when Redis could not answer. */
  async unlink(keys: readonly string[], c: NamespaceCounters): Promise<number> {
    if (!this.enabled) return -1
    try {
      return await this.gateway.exec('cache.del', (r) => unlinkAll(r, keys, this.cluster))
    } catch {
      c.redisErrors++
      return -1
    }
  }
}

/**
 * Groups keys by the master serving their slot (from the client's slot map), and within a node
 * by slot. A slot the client has no owner for yet gets its own group; ioredis routes it.
 */
function groupByNode(cluster: Cluster, keys: readonly string[]): Map<string, string[][]> {
  const bySlot = groupBySlot(keys)
  const byNode = new Map<string, string[][]>()
  for (const [slot, group] of bySlot) {
    const node = cluster.slots[slot]?.[0] ?? `slot:${slot}`
    const groups = byNode.get(node)
    if (groups === undefined) byNode.set(node, [group])
    else groups.push(group)
  }
  return byNode
}
