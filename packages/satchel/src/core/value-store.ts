import { isClusterClient } from './client-factory.js'
import type { Codec } from './codec.js'
import type { SatchelError } from './errors.js'
import type { SatchelEvents } from './events.js'
import type { RedisGateway } from './redis-gateway.js'

/** The outcome of a read. A miss is a result, not an exception. */
export type ReadResult<T> =
  | { hit: true; value: T; bytes: number }
  | {
      hit: false
      /** `miss`: no such key. `malformed`: undecodable bytes (event emitted). `unavailable`: Redis down. */
      reason: 'miss' | 'malformed' | 'unavailable'
      error?: SatchelError
    }

/** The outcome of a write. */
export type WriteResult =
  | { stored: true; bytes: number }
  | {
      stored: false
      /** `too-large`: over `maxValueBytes` (event emitted). `unavailable`: Redis down. */
      reason: 'too-large' | 'unavailable'
      bytes?: number
      error?: SatchelError
    }

/** Read/write counters of the value store. */
export interface ValueStoreStats {
  hits: number
  misses: number
  /** hits / (hits + misses), 0 when nothing was read. */
  hitRate: number
  /** Reads that found undecodable bytes (counted as misses too). */
  malformed: number
  /** Writes skipped because the value exceeded `maxValueBytes`. */
  tooLarge: number
  /** Payload bytes read from / written to Redis (what egress and ingress bills count). */
  bytesRead: number
  bytesWritten: number
  /** Reads or writes that fell back because Redis was unavailable. */
  errors: number
}

/**
 * Encoded values in Redis, through the gateway: the building block the cache's L2 and the
 * session index share. Reads never throw: a malformed payload is a miss plus a
 * `value:malformed` event, Redis trouble is `reason: 'unavailable'`.
 *
 * @example
 * ```ts
 * await satchel.values.set(key, { id: 1, at: new Date() }, { ttlMs: 60_000 })
 * const r = await satchel.values.get<{ id: number; at: Date }>(key)
 * if (r.hit) r.value.at.getTime()
 * ```
 */
export class ValueStore {
  readonly #gateway: RedisGateway
  readonly #codec: Codec
  readonly #events: SatchelEvents
  #hits = 0
  #misses = 0
  #malformed = 0
  #tooLarge = 0
  #bytesRead = 0
  #bytesWritten = 0
  #errors = 0

  constructor(gateway: RedisGateway, codec: Codec, events: SatchelEvents) {
    this.#gateway = gateway
    this.#codec = codec
    this.#events = events
  }

  /**
   * Reads and decodes one value. The type parameter is the caller's claim about what was
   * stored under `key`; nothing checks it at run time.
   */
  async get<T>(key: string): Promise<ReadResult<T>> {
    const raw = await this.#gateway.failOpen(
      'values.get',
      (r) => r.getBuffer(key),
      (error) => error,
    )
    if (raw === null) {
      this.#misses++
      return { hit: false, reason: 'miss' }
    }
    if (!Buffer.isBuffer(raw)) {
      this.#errors++
      return { hit: false, reason: 'unavailable', error: raw }
    }
    this.#bytesRead += raw.length
    const decoded = this.#codec.decode(raw)
    if (!decoded.ok) {
      this.#misses++
      this.#malformed++
      this.#events.emit('value:malformed', { key, bytes: raw.length, error: decoded.error })
      return { hit: false, reason: 'malformed' }
    }
    this.#hits++
    return { hit: true, value: decoded.value as T, bytes: raw.length }
  }

  /**
   * Encodes and stores a value with a TTL. Every value satchel writes expires.
   * @throws EncodeError when the value cannot be encoded (a function, a symbol): a caller bug.
   */
  async set(key: string, value: unknown, options: { ttlMs: number }): Promise<WriteResult> {
    const ttlMs = Math.max(1, Math.round(options.ttlMs))
    const encoded = this.#codec.encodeBounded(value)
    if (!encoded.ok) {
      this.#tooLarge++
      this.#events.emit('value:too-large', { key, bytes: encoded.bytes, limit: encoded.limit })
      return { stored: false, reason: 'too-large', bytes: encoded.bytes }
    }
    const buf = encoded.buf
    const result = await this.#gateway.failOpen(
      'values.set',
      (r) => r.set(key, buf, 'PX', ttlMs),
      (error) => error,
    )
    if (result !== 'OK') {
      this.#errors++
      return { stored: false, reason: 'unavailable', error: result as SatchelError }
    }
    this.#bytesWritten += buf.length
    return { stored: true, bytes: buf.length }
  }

  /**
   * Deletes keys (UNLINK: memory is freed in the background). On a Cluster the keys may live in
   * different slots, so each is unlinked on its own there; a multi-key UNLINK would be refused.
   * @returns how many existed, or undefined if Redis is unavailable.
   */
  async delete(...keys: string[]): Promise<number | undefined> {
    if (keys.length === 0) return 0
    return this.#gateway.failOpen(
      'values.delete',
      async (r) => {
        if (!isClusterClient(r) || keys.length === 1) return r.unlink(...keys)
        const counts = await Promise.all(keys.map((key) => r.unlink(key)))
        return counts.reduce((sum, n) => sum + n, 0)
      },
      () => undefined,
    )
  }

  stats(): ValueStoreStats {
    const reads = this.#hits + this.#misses
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: reads === 0 ? 0 : this.#hits / reads,
      malformed: this.#malformed,
      tooLarge: this.#tooLarge,
      bytesRead: this.#bytesRead,
      bytesWritten: this.#bytesWritten,
      errors: this.#errors,
    }
  }
}
